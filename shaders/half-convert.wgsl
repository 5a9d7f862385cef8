// Conversions between packed halves (two IEEE-754 binary16 values per u32 word, the low half first)
// and f32, for float16 tensors: `widen` turns the halves of words into f32 elements, exactly;
// `narrow` rounds pairs of f32 elements to the nearest halves, ties to even, and packs them. Both
// work on bit patterns in integer arithmetic: WGSL lets a float conversion round either way and lets
// an adapter flush subnormals (SwiftShader does), and neither may change a half. NaN payloads keep
// their top bits. One invocation owns one word, so no two invocations write the same word.
// Requires: the HalfParams uniform (generated from src/kernels/half-convert.ts).

@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;

// The accessors own the split offsets: src and dst are indexed in their own words (halves' words
// or f32 elements, whichever the entry point reads and writes) across the whole tensors.
fn load_src(i: u32) -> u32 { return src[i - params.inOffset]; }
fn store_dst(i: u32, v: u32) { dst[i - params.outOffset] = v; }

fn half_to_f32_bits(h: u32) -> u32 {
  let sign = (h & 0x8000u) << 16u;
  let e = (h >> 10u) & 0x1fu;
  let m = h & 0x3ffu;
  if (e == 0x1fu) {
    return sign | 0x7f800000u | (m << 13u);
  }
  if (e != 0u) {
    return sign | ((e + 112u) << 23u) | (m << 13u);
  }
  if (m == 0u) {
    return sign;
  }
  // A subnormal half is a normal f32: shift its leading 1 up to the implicit bit.
  let lead = firstLeadingBit(m);
  return sign | ((lead + 103u) << 23u) | (((m << (10u - lead)) & 0x3ffu) << 13u);
}

// Rounds `full >> shift` to the nearest integer, ties to even (1 <= shift <= 24).
fn round_shift(full: u32, shift: u32) -> u32 {
  let q = full >> shift;
  let rest = full & ((1u << shift) - 1u);
  let half = 1u << (shift - 1u);
  return select(q, q + 1u, rest > half || (rest == half && (q & 1u) == 1u));
}

fn f32_bits_to_half(b: u32) -> u32 {
  let sign = (b >> 16u) & 0x8000u;
  let e = (b >> 23u) & 0xffu;
  let m = b & 0x7fffffu;
  if (e == 0xffu) {
    let payload = m >> 13u;
    return sign | 0x7c00u | select(payload, 0x200u, m != 0u && payload == 0u);
  }
  let E = i32(e) - 127;
  if (E > 15) {
    return sign | 0x7c00u;
  }
  if (E >= -14) {
    // A carry out of the mantissa moves into the exponent, up to infinity: both are right.
    return sign | round_shift((u32(E + 15) << 23u) | m, 13u);
  }
  if (E < -25) {
    return sign;
  }
  // Subnormal half: the value over the smallest subnormal, 2^-24, rounded.
  return sign | round_shift(m | 0x800000u, u32(-E - 1));
}

@compute @workgroup_size(WG)
fn widen(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let w = params.base + linear_invocation(wid, nwg, lid);
  // A split's last run of words may reach past the tensor's last word: end is a multiple of the run.
  if (w >= params.end || 2u * w >= params.count) {
    return;
  }
  let word = load_src(w);
  let i = 2u * w;
  store_dst(i, half_to_f32_bits(word & 0xffffu));
  if (i + 1u < params.count) {
    store_dst(i + 1u, half_to_f32_bits(word >> 16u));
  }
}

@compute @workgroup_size(WG)
fn narrow(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let w = params.base + linear_invocation(wid, nwg, lid);
  // A split's last run of words may reach past the tensor's last word: end is a multiple of the run.
  if (w >= params.end || 2u * w >= params.count) {
    return;
  }
  let i = 2u * w;
  let lo = f32_bits_to_half(load_src(i));
  var hi = 0u;
  if (i + 1u < params.count) {
    hi = f32_bits_to_half(load_src(i + 1u));
  }
  store_dst(w, lo | (hi << 16u));
}

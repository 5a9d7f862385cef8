// Shared prelude, prepended to every kernel file by src/kernels/kernel.ts.
// Thread mapping: a dispatch may exceed 65,535 workgroups in x, so the host spreads workgroups over
// (x, y) and every kernel recovers one linear workgroup / invocation index from both.

override WG: u32 = 64;

fn linear_workgroup(wid: vec3u, nwg: vec3u) -> u32 {
  return wid.y * nwg.x + wid.x;
}

fn linear_invocation(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return linear_workgroup(wid, nwg) * WG + lid.x;
}

// Written from bits because WGSL lets compilers assume no NaN or infinity in float arithmetic.
fn is_nan(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

// A `var`, not a literal: constant expressions may not produce infinity in WGSL.
fn negative_infinity() -> f32 {
  var bits = 0xff800000u;
  return bitcast<f32>(bits);
}

// Max comparisons on order keys (docs/semantics.md, "Accuracy"). Every max kernel compares these
// integers instead of floats: an adapter may flush subnormals to zero in float comparisons
// (SwiftShader does, as WGSL allows), which no integer comparison can do, so max and its index are
// bit-exact everywhere. Values travel as their u32 bits; nothing rounds or flushes them.
// The key of the bits is the signed magnitude as an i32: numbers in IEEE order, -0 and +0 equal (so
// a tie keeps the first), -inf the least, +inf INFINITY_KEY; a NaN of either sign keys as its
// magnitude, above INFINITY_KEY (is_nan_key).
const INFINITY_KEY: i32 = 0x7f800000;
// -inf as bits, the value of a max window with no candidate, and its key.
const NEGATIVE_INFINITY_BITS: u32 = 0xff800000u;
const NEGATIVE_INFINITY_KEY: i32 = -0x7f800000;
// The kept key of a running maximum that holds nothing yet: below -inf, so the first candidate is taken.
const EMPTY_KEY: i32 = NEGATIVE_INFINITY_KEY - 1;
// The windowed max ops' value of a window with no candidate, as bits: -inf, or their emptyValue
// option (TF.js's -1e20 in the plug-in).
override EMPTY_MAX_BITS: u32 = 0xff800000u;

// The max ops' `nan: 'ignore'` (TF.js's rule, docs/semantics.md): a NaN keys as EMPTY_KEY, which
// no running maximum's kept key is below, so a NaN is never taken and a window of NaN only keeps
// the empty running maximum (-inf, index -1). Every max scan therefore starts from EMPTY_KEY rather
// than from its first element. False (PyTorch's rule): NaN keys above every number.
override NAN_IGNORE: bool = false;

fn order_key(bits: u32) -> i32 {
  let magnitude = i32(bits & 0x7fffffffu);
  // The negative numbers, -0 down to -inf, are the bits [0x80000000, 0xff800000]: one unsigned test.
  let key = select(magnitude, -magnitude, bits - 0x80000000u <= 0x7f800000u);
  return select(key, EMPTY_KEY, NAN_IGNORE && magnitude > INFINITY_KEY);
}

fn order_key4(bits: vec4u) -> vec4i {
  let magnitude = vec4i(bits & vec4u(0x7fffffffu));
  let key = select(magnitude, -magnitude, bits - vec4u(0x80000000u) <= vec4u(0x7f800000u));
  return select(key, vec4i(EMPTY_KEY), vec4<bool>(NAN_IGNORE) & (magnitude > vec4i(INFINITY_KEY)));
}

fn is_nan_key(k: i32) -> bool {
  return k > INFINITY_KEY;
}

// A scan in scan order keeps its running maximum's key as kept_key(k), a NaN's clamped to
// INFINITY_KEY, and a tap replaces the running maximum when its key is greater than the kept one
// (takes_max): so a greater number takes over, ties keep the first, a NaN beats every number and a
// later NaN (above INFINITY_KEY) beats an earlier one, while no number beats a NaN: the last NaN wins.
fn kept_key(k: i32) -> i32 {
  return min(k, INFINITY_KEY);
}

fn kept_key4(k: vec4i) -> vec4i {
  return min(k, vec4i(INFINITY_KEY));
}

fn takes_max(k: i32, kept: i32) -> bool {
  return k > kept;
}

fn takes_max4(k: vec4i, kept: vec4i) -> vec4<bool> {
  return k > kept;
}

// A sum as the reference leaves it (a gradient, an average's window sum): it adds into a zeroed
// sum, and 0 + (-0) is +0, but a compiler may fold the first 0 + x to x. Tested on
// the bits, as integers, which no float simplification may fold away.
fn plus_zero(v: f32) -> f32 {
  let bits = bitcast<u32>(v);
  return bitcast<f32>(select(bits, 0u, bits == 0x80000000u));
}

fn plus_zero4(v: vec4f) -> vec4f {
  let bits = bitcast<vec4u>(v);
  return bitcast<vec4f>(select(bits, vec4u(0u), bits == vec4u(0x80000000u)));
}

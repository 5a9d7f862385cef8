// Fractional max pooling forward for channels-last with C % 4 == 0: map-fractional-forward.wgsl's
// rule with one invocation per 4 consecutive channels of one output position. The window starts,
// y and the indices are read and written as vec4 (split offsets are multiples of 4 elements:
// binding offsets are 16-byte aligned or more); each channel has its own window, so x is read
// per lane. Taps in scan order through max pooling's reduction (reduce-max.wgsl).
// Requires: nd-layout.wgsl, reduce-max.wgsl, fractional-window.wgsl, linear_invocation.

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y4: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> indices4: array<vec4i>;
@group(0) @binding(4) var<storage, read> window_starts4: array<vec4i>;

// The accessors own the split offsets: x by element, the output-shaped tensors by vec4 (element / 4).
fn load_x(i: u32) -> f32 { return x[i - params.inOffset]; }
fn store_y4(q: u32, v: vec4f) { y4[q - params.outOffset / 4u] = v; }
fn store_index4(q: u32, v: vec4i) { indices4[q - params.outOffset / 4u] = v; }
fn load_window_starts4(q: u32) -> vec4i { return window_starts4[q - params.outOffset / 4u]; }

// Window of flat start `start` in the volume at x offset `base` (channels-last: position step C).
fn reduce_fractional4(start: i32, base: u32) -> Acc {
  return fractional_window(start, base, u32(params.C));
}

struct Four {
  bits: vec4u,
  index: vec4i,
}

fn four_windows(q: u32) -> Four {
  let C = u32(params.C);
  let C4 = C / 4u;
  let outVol = u32(params.outD * params.outH * params.outW);
  let inVol = u32(params.inD * params.inH * params.inW);
  let c = (q % C4) * 4u;
  let n = q / (C4 * outVol);
  let base = n * inVol * C + c;
  let s = load_window_starts4(q);
  let a0 = reduce_fractional4(s.x, base);
  let a1 = reduce_fractional4(s.y, base + 1u);
  let a2 = reduce_fractional4(s.z, base + 2u);
  let a3 = reduce_fractional4(s.w, base + 3u);
  return Four(vec4u(a0.bits, a1.bits, a2.bits, a3.bits), vec4i(a0.index, a1.index, a2.index, a3.index));
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let q = params.base + linear_invocation(wid, nwg, lid);
  if (q >= params.end) {
    return;
  }
  store_y4(q, bitcast<vec4f>(four_windows(q).bits));
}

@compute @workgroup_size(WG)
fn main_with_indices(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let q = params.base + linear_invocation(wid, nwg, lid);
  if (q >= params.end) {
    return;
  }
  let f = four_windows(q);
  store_y4(q, bitcast<vec4f>(f.bits));
  store_index4(q, f.index);
}

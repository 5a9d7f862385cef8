// The scatter mappings of plane average pooling backward (derivation eq. 7-9): one invocation per
// output element, spreading its share (taps_share, nd/grad-avg.wgsl: dy over the forward's own
// divisor, so countIncludePad, divisorOverride and the ceil-mode overhang agree with the forward
// by construction; a window with no real element sends nothing) over the real taps of its window
// (plane_window_taps; the plane average kernels are undilated).
//   scatter  atomic adds (overlapping windows add into the same elements); dx is zeroed first.
//   direct   windows cannot overlap (stride >= kernel on both axes): each element has at most one
//            writer, so plain stores (-0 as +0, as the reference's zeroed sum leaves it); dx is
//            zeroed first (gaps stay 0).
// Requires: plane-layout.wgsl (plane_window_taps); plus_zero (common.wgsl); taps_share (nd/grad-avg.wgsl);
// io-plane-backward.wgsl.

// Output i's coordinates, share and real element rows [x, y) x columns [z, w).
struct Spread {
  o: vec4i,
  share: f32,
  real: vec4i,
}

fn spread_of(i: u32) -> Spread {
  let o = tensor_coords(i, params.outH, params.outW);
  let taps = plane_window_taps(o.z, o.w);
  let lo = taps.start + taps.real_lo;
  let hi = taps.start + taps.real_hi;
  return Spread(o, taps_share(i, taps), vec4i(lo.y, hi.y, lo.z, hi.z));
}

@compute @workgroup_size(WG)
fn scatter(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let s = spread_of(i);
  for (var h = s.real.x; h < s.real.y; h++) {
    for (var w = s.real.z; w < s.real.w; w++) {
      add_dx(tensor_offset(s.o.x, s.o.y, h, w, params.H, params.W), s.share);
    }
  }
}

@compute @workgroup_size(WG)
fn direct(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let s = spread_of(i);
  for (var h = s.real.x; h < s.real.y; h++) {
    for (var w = s.real.z; w < s.real.w; w++) {
      store_dx(tensor_offset(s.o.x, s.o.y, h, w, params.H, params.W), plus_zero(s.share));
    }
  }
}

// The scatter mappings of plane max pooling backward (derivation eq. 5-6): one invocation per output
// element, sending its dy to dx at its argmax, the forward's index h*W + w in the (n, c) plane.
// The index rule (docs/semantics.md, "Max pooling, backward"): an index counts only when it names a
// tap of its own output's window (window_tap); any other (-1, outside the plane, in the plane but
// not in that window) sends its gradient nowhere, so an out-of-plane write cannot happen. These are
// max's own: the index, not the window, says where the gradient goes (the gather and cell mappings
// serve every reduction).
//   scatter  an atomic float add (overlapping windows can share an argmax); dx is zeroed first.
//   direct   windows cannot overlap (stride >= effective kernel on both axes): each element has at
//            most one writer, so a plain store (-0 as +0, as the reference's zeroed sum leaves it);
//            dx is zeroed first.
// Requires: backward-geometry.wgsl (window_tap), plus_zero (common.wgsl); io-plane-backward.wgsl.

// Element of dx of output i's argmax, or -1 when its gradient goes nowhere (the index rule).
fn argmax_offset(i: u32) -> i32 {
  let index = load_index(i);
  let o = tensor_coords(i, params.outH, params.outW);
  let u = bitcast<u32>(index);
  let h = i32(u / u32(params.W));
  let w = index - h * params.W;
  let ok = (u < u32(params.H * params.W)) & window_tap(h, w, o.z, o.w);
  return select(-1, i32(tensor_offset(o.x, o.y, h, w, params.H, params.W)), ok);
}

@compute @workgroup_size(WG)
fn scatter(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  // The bound part of dx holds every output's window when the op is split; the bounds test only
  // guards the store.
  let dest = argmax_offset(i);
  if (dx_bits_bound(dest)) {
    add_dx(u32(dest), load_dy(i));
  }
}

@compute @workgroup_size(WG)
fn direct(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let dest = argmax_offset(i);
  if (dx_bound(dest)) {
    store_dx(u32(dest), plus_zero(load_dy(i)));
  }
}

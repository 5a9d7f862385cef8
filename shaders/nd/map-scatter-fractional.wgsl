// Fractional max pooling backward: one invocation per dy element, adding it atomically into dx at
// its index (dx cleared first; windows may overlap, so several outputs can name one element). Any
// index inside the (n, c) input volume is taken as it is (PyTorch); one outside it (-1, negative,
// too large) sends nothing and is never written out of bounds. Not bit-reproducible where two adds
// meet one element (the CAS add of io-scatter-f32.wgsl).
// Requires: nd-layout.wgsl, unpool-index-offset.wgsl, io-scatter-f32.wgsl, linear_invocation.

@compute @workgroup_size(WG)
fn scatter(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let idx = load_index(i);
  let volume = volume_of(in_size());
  if (idx < 0 || idx >= volume) {
    return;
  }
  let e = nd_coords(i, out_size());
  add_dx(index_offset(e.n, e.c, idx, volume), load_dy(i));
}

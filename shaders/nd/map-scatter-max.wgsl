// Scatter backward of N-d max pooling: one invocation per dy element, adding it atomically into
// dx at its argmax (dx cleared first). An index outside [0, volume) (-1: the window had no real
// element) sends nothing, so a bad index can never write out of bounds.
// Requires: nd-window.wgsl; io-scatter-*.wgsl.

@compute @workgroup_size(WG)
fn scatter(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = nd_coords(i, out_size());
  let size = in_size();
  let idx = load_index(i);
  if (idx < 0 || idx >= size.x * size.y * size.z) {
    return;
  }
  let p = vec3i(idx / (size.y * size.z), (idx / size.z) % size.y, idx % size.z);
  add_dx(nd_offset(e.n, e.c, p, size), load_dy(i));
}

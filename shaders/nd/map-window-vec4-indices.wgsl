// The vec4 forward mapping's entry point that also stores the indices (max pooling with
// returnIndices). Requires: map-window-vec4.wgsl, a vec4 reduction with acc4_index.

@compute @workgroup_size(WG)
fn main_with_indices(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = nd_coords4(i, out_size());
  let taps = window_taps(NdCoord(e.n, 4 * e.group, e.p));
  let acc = reduce_window4(taps, e.n, e.group);
  store_y4(i, acc4_value(acc, taps));
  store_index4(i, acc4_index(acc));
}

// The plane forward mapping's entry point that also stores the reduction's index (max pooling with
// returnIndices). Requires: map-plane.wgsl, a reduction with acc_index.

@compute @workgroup_size(WG)
fn main_with_indices(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = tensor_coords(i, params.outH, params.outW);
  let taps = plane_window_taps(o.z, o.w);
  let acc = reduce_window(taps, o.x, o.y);
  store_y(i, acc_value(acc, taps));
  store_index(i, acc_index(acc));
}

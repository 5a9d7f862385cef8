// The vec4 plane forward mapping's entry point that also stores the indices (max pooling with
// returnIndices). Requires: map-plane-vec4.wgsl, a vec4 reduction with acc4_index.

@compute @workgroup_size(WG)
fn main_with_indices(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = channel_group_coords(i, params.outH, params.outW);
  let taps = plane_window_taps(o.z, o.w);
  let acc = reduce_window4(taps, o.x, o.y / 4);
  store_y4(i, acc4_value(acc, taps));
  store_index4(i, acc4_index(acc));
}

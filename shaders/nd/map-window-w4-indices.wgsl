// The W4 forward mapping's entry point with indices (max pooling): map-window-w4.wgsl's windows,
// then each real lane's value and its reduction's index. A file of its own because only the max
// reduction has acc_index.
// Requires: map-window-w4.wgsl, w4-store-indices.wgsl; a reduction with acc_index (reduce-max.wgsl).

@compute @workgroup_size(WG)
fn main_w4_with_indices(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let g = w4_windows(i);
  store_w4_values(g);
  store_w4_indices(g);
}

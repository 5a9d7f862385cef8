// The W4 forward mapping's entry point with indices (max pooling): map-window-w4.wgsl's windows,
// then each real lane's value and its reduction's index. A file of its own because only the max
// reduction has acc_index.
// Requires: map-window-w4.wgsl; a reduction with acc_index (reduce-max.wgsl).

@compute @workgroup_size(WG)
fn main_w4_with_indices(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let g = w4_windows(i);
  store_y(g.out, acc_value(g.a0, g.t0));
  store_index(g.out, acc_index(g.a0));
  if (g.lanes > 1) {
    store_y(g.out + 1u, acc_value(g.a1, g.t1));
    store_index(g.out + 1u, acc_index(g.a1));
  }
  if (g.lanes > 2) {
    store_y(g.out + 2u, acc_value(g.a2, g.t2));
    store_index(g.out + 2u, acc_index(g.a2));
  }
  if (g.lanes > 3) {
    store_y(g.out + 3u, acc_value(g.a3, g.t3));
    store_index(g.out + 3u, acc_index(g.a3));
  }
}

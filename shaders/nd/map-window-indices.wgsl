// The forward mapping's entry point that also stores the reduction's index (max pooling with
// returnIndices). Requires: map-window.wgsl, a reduction with acc_index.

@compute @workgroup_size(WG)
fn main_with_indices(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = nd_coords(i, out_size());
  let taps = window_taps(e);
  let acc = reduce_window(taps, e.n, e.c);
  store_y(i, acc_value(acc, taps));
  store_index(i, acc_index(acc));
}

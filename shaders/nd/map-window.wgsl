// Forward mapping of the N-d kernels: one invocation per output element, whose window
// (window_taps) window-scan.wgsl hands to the reduction.
// Requires: nd-layout.wgsl; window-scan.wgsl; a reduction (reduce-*.wgsl); io-forward-*.wgsl;
// linear_invocation.

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = nd_coords(i, out_size());
  let taps = window_taps(e);
  store_y(i, acc_value(reduce_window(taps, e.n, e.c), taps));
}

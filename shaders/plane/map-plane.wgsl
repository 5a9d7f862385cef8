// Forward mapping of the plane kernels: one invocation per output element of an [N, C, H, W]
// tensor (NCHW, or NHWC), whose window (plane_window_taps) the N-d kernels' own scan
// (nd/window-scan.wgsl, through plane-layout.wgsl) hands to the reduction (nd/reduce-*.wgsl): the
// same scan order, index rule and padding rule as every N-d kernel.
// Requires: pool-params.wgsl, plane-layout.wgsl (plane_window_taps), nd/window-scan.wgsl, a
// reduction, io-forward-f32.wgsl.

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = tensor_coords(i, params.outH, params.outW);
  let taps = plane_window_taps(o.z, o.w);
  store_y(i, acc_value(reduce_window(taps, o.x, o.y), taps));
}

// Forward mapping of the plane kernels for NHWC with C % 4 == 0: one invocation per output pixel
// and group of four adjacent channels, whose window (plane_window_taps) the N-d kernels' vec4 scan
// (nd/window-scan-vec4.wgsl, through plane-layout.wgsl) hands to the vec4 reduction: the window
// arithmetic is paid once per four outputs, neighbouring invocations read neighbouring channels
// (coalesced 16-byte loads). The domain is counted in vec4s. Real taps only: a reduction that
// visits the declared padding (max with zero padding) runs map-plane.wgsl.
// Requires: pool-params.wgsl (channel_group_coords), plane-layout.wgsl (plane_window_taps),
// nd/window-scan-vec4.wgsl, a vec4 reduction, io-forward-vec4-f32.wgsl.

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = channel_group_coords(i, params.outH, params.outW);
  let taps = plane_window_taps(o.z, o.w);
  store_y4(i, acc4_value(reduce_window4(taps, o.x, o.y / 4), taps));
}

// Forward mapping of the plane kernels for NHWC with C % 4 == 0: one invocation per output pixel
// and group of four adjacent channels, which scans the window's real taps once (plane_window_taps,
// row by row) and hands a vec4 per tap to the vec4 reduction (nd/reduce-*-vec4.wgsl): the window
// arithmetic is paid once per four outputs, neighbouring invocations read neighbouring channels
// (coalesced 16-byte loads). The domain is counted in vec4s. Real taps only: a reduction that
// visits the declared padding (max with zero padding) runs map-plane.wgsl.
// Requires: pool-params.wgsl (channel_group_coords, tensor_offset), plane-window.wgsl, a vec4
// reduction (Acc4, acc4_init, acc4_add, acc4_value), io-forward-vec4-f32.wgsl.

fn plane_reduce4(taps: WindowTaps, n: i32, c: i32) -> Acc4 {
  let dh = window_dh();
  let dw = window_dw();
  let groups = u32(params.C / 4);
  let column_step = u32(dw) * groups;
  let row_step = u32(dh * params.W) * groups;
  let h = taps.start.y + taps.real_lo.y * dh;
  let w = taps.start.z + taps.real_lo.z * dw;
  var acc = acc4_init();
  var row = tensor_offset(n, c, h, w, params.H, params.W) / 4u;
  var row_pos = h * params.W + w;
  for (var kh = taps.real_lo.y; kh < taps.real_hi.y; kh++) {
    var at = row;
    var pos = row_pos;
    for (var kw = taps.real_lo.z; kw < taps.real_hi.z; kw++) {
      acc4_add(&acc, load_x4(at), pos);
      at += column_step;
      pos += dw;
    }
    row += row_step;
    row_pos += dh * params.W;
  }
  return acc;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = channel_group_coords(i, params.outH, params.outW);
  let taps = plane_window_taps(o.z, o.w);
  store_y4(i, acc4_value(plane_reduce4(taps, o.x, o.y), taps));
}

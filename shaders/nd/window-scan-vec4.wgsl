// The window scan of the channels-last vec4 forward mappings (N-d and plane alike): four adjacent
// channels of one output pixel, the window's real taps in scan order, one 16-byte load per tap
// handed to the vec4 reduction. Positions and offsets advance by additions. Real taps only (no
// zero padding: a reduction that visits padding runs the scalar mappings).
// Provides: reduce_window4. Requires: a channels-last layout with C % 4 == 0 (in_size, dilations,
// volume_position: nd-layout.wgsl or plane/plane-layout.wgsl); a vec4 reduction (Acc4, acc4_init,
// acc4_add); load_x4 (io-forward-vec4-*.wgsl).

fn reduce_window4(taps: WindowTaps, n: i32, group: i32) -> Acc4 {
  let d = dilations();
  let size = in_size();
  let groups = u32(params.C / 4);
  let base = u32(n * size.x * size.y * size.z) * groups + u32(group);
  let tap_step = vec3i(d.x * size.y * size.z, d.y * size.z, d.z);
  let at_step = u32(tap_step.z) * groups;
  var acc = acc4_init();
  var pos_d = volume_position(taps.start + taps.real_lo * d, size);
  for (var kd = taps.real_lo.x; kd < taps.real_hi.x; kd++) {
    var pos_h = pos_d;
    for (var kh = taps.real_lo.y; kh < taps.real_hi.y; kh++) {
      var pos = pos_h;
      var at = base + u32(pos) * groups;
      for (var kw = taps.real_lo.z; kw < taps.real_hi.z; kw++) {
        acc4_add(&acc, load_x4(at), pos);
        pos += tap_step.z;
        at += at_step;
      }
      pos_h += tap_step.y;
    }
    pos_d += tap_step.x;
  }
  return acc;
}

// The window scan of the channels-last vec4 forward mappings (N-d and plane alike): four adjacent
// channels of one output pixel, the window's real taps in scan order, one 16-byte load per tap
// handed to the vec4 reduction. Positions and offsets advance by additions. Real taps only (no
// zero padding: a reduction that visits padding runs the scalar mappings).
//
// The full-window form (FULL_KD > 0; docs/forward-selection.md "Full windows, channels-last"): the
// plan has checked that every window holds all its FULL_KD × FULL_KH × FULL_KW taps, or, with
// CLAMP_TAPS (max pooling only, undilated, every window holding a real position on each axis),
// that a tap in the padding may be read at the nearest position instead: a repeat of the window's
// own edge taps, which max pooling's fold ignores (docs/forward-selection.md "W4 full rows"). The
// taps are then straight-line code (up to 3 per axis, loops past that; a plane has FULL_KD = 1, so
// no loop at all): no loop trip count comes from the window. Same taps, same order, same bits.
// Provides: reduce_window4, FULL_KD, FULL_KH, FULL_KW, CLAMP_TAPS. Requires: a channels-last
// layout with C % 4 == 0 (in_size, dilations, volume_position: nd-layout.wgsl or plane/plane-layout.wgsl); a
// vec4 reduction (Acc4, acc4_init, acc4_add); load_x4 (io-forward-vec4-*.wgsl).
override FULL_KD: i32 = 0;
override FULL_KH: i32 = 0;
override FULL_KW: i32 = 0;
override CLAMP_TAPS: bool = false;

// Tap coordinate c of an axis of `size` positions: itself, or with CLAMP_TAPS the nearest inside.
fn full_coord(c: i32, size: i32) -> i32 {
  if (CLAMP_TAPS) {
    return clamp(c, 0, size - 1);
  }
  return c;
}

// One window row (row position `row_pos` = its column 0's volume position) of the full form.
fn full_row4(acc: ptr<function, Acc4>, base: u32, groups: u32, row_pos: i32, w: i32) {
  let dw = dilations().z;
  let size_w = in_size().z;
  var c = full_coord(w, size_w);
  acc4_add(acc, load_x4(base + u32(row_pos + c) * groups), row_pos + c);
  if (FULL_KW > 1) {
    c = full_coord(w + dw, size_w);
    acc4_add(acc, load_x4(base + u32(row_pos + c) * groups), row_pos + c);
  }
  if (FULL_KW > 2) {
    c = full_coord(w + 2 * dw, size_w);
    acc4_add(acc, load_x4(base + u32(row_pos + c) * groups), row_pos + c);
  }
  for (var kw = 3; kw < FULL_KW; kw++) {
    c = full_coord(w + kw * dw, size_w);
    acc4_add(acc, load_x4(base + u32(row_pos + c) * groups), row_pos + c);
  }
}

// The rows of one depth slice (`slice_pos` its position 0) of the full form.
fn full_slice4(acc: ptr<function, Acc4>, base: u32, groups: u32, slice_pos: i32, start: vec3i) {
  let dh = dilations().y;
  let size = in_size();
  full_row4(acc, base, groups, slice_pos + full_coord(start.y, size.y) * size.z, start.z);
  if (FULL_KH > 1) {
    full_row4(acc, base, groups, slice_pos + full_coord(start.y + dh, size.y) * size.z, start.z);
  }
  if (FULL_KH > 2) {
    full_row4(acc, base, groups, slice_pos + full_coord(start.y + 2 * dh, size.y) * size.z, start.z);
  }
  for (var kh = 3; kh < FULL_KH; kh++) {
    full_row4(acc, base, groups, slice_pos + full_coord(start.y + kh * dh, size.y) * size.z, start.z);
  }
}

fn reduce_window4(taps: WindowTaps, n: i32, group: i32) -> Acc4 {
  if (FULL_KD > 0) {
    return reduce_full_window4(taps, n, group);
  }
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

fn reduce_full_window4(taps: WindowTaps, n: i32, group: i32) -> Acc4 {
  let d = dilations();
  let size = in_size();
  let groups = u32(params.C / 4);
  let base = u32(n * size.x * size.y * size.z) * groups + u32(group);
  let slice = size.y * size.z;
  var acc = acc4_init();
  full_slice4(&acc, base, groups, full_coord(taps.start.x, size.x) * slice, taps.start);
  if (FULL_KD > 1) {
    full_slice4(&acc, base, groups, full_coord(taps.start.x + d.x, size.x) * slice, taps.start);
  }
  if (FULL_KD > 2) {
    full_slice4(&acc, base, groups, full_coord(taps.start.x + 2 * d.x, size.x) * slice, taps.start);
  }
  for (var kd = 3; kd < FULL_KD; kd++) {
    full_slice4(&acc, base, groups, full_coord(taps.start.x + kd * d.x, size.x) * slice, taps.start);
  }
  return acc;
}

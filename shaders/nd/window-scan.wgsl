// The window scan of the forward mappings (N-d and plane alike): an output's window, as a
// WindowTaps record, handed tap by tap to the reduction in scan order (first axis outermost: scan
// order = index order). Only the real taps are visited, offsets and positions advancing by
// additions (no bounds test, no offset multiplication per tap), unless the reduction visits the
// declared padding (max with zero padding): then each run of padded taps reaches acc_pad once, so
// a window costs its real elements however large the padding.
// Provides: reduce_window. Requires: a layout (in_size, dilations, position_step, volume_base,
// volume_position: nd-layout.wgsl, or plane/plane-layout.wgsl for the plane kernels); a reduction
// (reduce-*.wgsl); load_x (io-forward-*.wgsl).

// The real taps of one window row along w, from position `pos` (its first real tap's).
fn reduce_row(acc: ptr<function, Acc>, base: u32, step: u32, pos: i32, taps: WindowTaps, tap_step: i32) {
  var p = pos;
  var at = base + u32(pos) * step;
  let at_step = u32(tap_step) * step;
  for (var kw = taps.real_lo.z; kw < taps.real_hi.z; kw++) {
    acc_add(acc, load_x(at), p);
    p += tap_step;
    at += at_step;
  }
}

// The real taps only, in scan order.
fn reduce_real_taps(taps: WindowTaps, n: i32, c: i32) -> Acc {
  let d = dilations();
  let size = in_size();
  let step = position_step();
  let base = volume_base(n, c, size);
  // Position steps of one tap along each axis.
  let tap_step = vec3i(d.x * size.y * size.z, d.y * size.z, d.z);
  var acc = acc_init();
  var pos_d = volume_position(taps.start + taps.real_lo * d, size);
  for (var kd = taps.real_lo.x; kd < taps.real_hi.x; kd++) {
    var pos_h = pos_d;
    for (var kh = taps.real_lo.y; kh < taps.real_hi.y; kh++) {
      reduce_row(&acc, base, step, pos_h, taps, tap_step.z);
      pos_h += tap_step.y;
    }
    pos_d += tap_step.x;
  }
  return acc;
}

// Every declared tap (input or declared padding) in scan order, each run of padded taps reaching
// acc_pad once: the slabs before the real ones along d; per real slab the rows above its real
// rows, then per real row the padding left of its real taps, the taps, the padding right of them,
// then the rows below; then the slabs after. The reductions that visit padding (max with zero
// padding) keep acc_pad idempotent (two padded taps in a row act as one), so this is the tap-by-tap
// scan's result at the cost of the real taps: a window padded by thousands stays cheap.
fn reduce_declared_taps(taps: WindowTaps, n: i32, c: i32) -> Acc {
  var acc = acc_init();
  if (!all(taps.declared_lo < taps.declared_hi)) {
    return acc;
  }
  if (!all(taps.real_lo < taps.real_hi)) {
    acc_pad(&acc);
    return acc;
  }
  let d = dilations();
  let size = in_size();
  let step = position_step();
  let base = volume_base(n, c, size);
  let tap_step = vec3i(d.x * size.y * size.z, d.y * size.z, d.z);
  let above = taps.declared_lo.y < taps.real_lo.y;
  let below = taps.real_hi.y < taps.declared_hi.y;
  let left = taps.declared_lo.z < taps.real_lo.z;
  let right = taps.real_hi.z < taps.declared_hi.z;
  if (taps.declared_lo.x < taps.real_lo.x) {
    acc_pad(&acc);
  }
  var pos_d = volume_position(taps.start + taps.real_lo * d, size);
  for (var kd = taps.real_lo.x; kd < taps.real_hi.x; kd++) {
    if (above) {
      acc_pad(&acc);
    }
    var pos_h = pos_d;
    for (var kh = taps.real_lo.y; kh < taps.real_hi.y; kh++) {
      if (left) {
        acc_pad(&acc);
      }
      reduce_row(&acc, base, step, pos_h, taps, tap_step.z);
      if (right) {
        acc_pad(&acc);
      }
      pos_h += tap_step.y;
    }
    if (below) {
      acc_pad(&acc);
    }
    pos_d += tap_step.x;
  }
  if (taps.real_hi.x < taps.declared_hi.x) {
    acc_pad(&acc);
  }
  return acc;
}

fn reduce_window(taps: WindowTaps, n: i32, c: i32) -> Acc {
  if (visits_padding()) {
    return reduce_declared_taps(taps, n, c);
  }
  return reduce_real_taps(taps, n, c);
}

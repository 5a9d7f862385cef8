// The full-row form of the W4 mappings (nd/map-window-w4.wgsl, plane/map-plane-w4.wgsl;
// docs/nd-selection.md "Full rows", docs/forward-selection.md "W4 full rows"): W4_KW > 0 when the
// plan has checked that every window of the row holds exactly W4_KW real taps along W, W4_DW
// apart, the windows W4_SW apart, and that the row has at least 4 outputs. A group's taps along W
// are then straight-line code at constant offsets from lane 0's window start: up to 3 per lane
// unrolled (the constants fold the branches away), a loop past that. 0, the default: the
// mapping's clipped form, which scans each lane's real tap range.
//
// W4_CLAMP (max pooling only, where windows reach into padding along W, undilated, every window
// holding a real column): a tap outside the row is read at the nearest column of the row instead,
// with that column's index. The taps it adds sit right before the window's first real column (or
// right after its last) and repeat it exactly, and
// max pooling's fold ignores a repeat of the candidate it has just seen, so values and indices are
// the clipped form's bits. Sums would count it twice: average and LP never set it.
// Provides: W4_KW, W4_DW, W4_SW, W4_CLAMP, w4_row_full. Requires: a reduction (Acc, acc_add),
// load_x, in_size (the layout).
override W4_KW: i32 = 0;
override W4_DW: i32 = 1;
override W4_SW: i32 = 1;
override W4_CLAMP: bool = false;

// The column read for tap column w: w itself, or with W4_CLAMP the nearest column of the row.
fn w4_column(w: i32) -> i32 {
  if (W4_CLAMP) {
    return clamp(w, 0, in_size().z - 1);
  }
  return w;
}

fn w4_tap(acc: ptr<function, Acc>, row: u32, row_pos: i32, w: i32) {
  let c = w4_column(w);
  acc_add(acc, load_x(row + u32(c)), row_pos + c);
}

// Taps w, w + W4_DW, ... of the input row whose column 0 is element `row` (index `row_pos`), in
// scan order.
fn w4_lane_full(acc: ptr<function, Acc>, row: u32, row_pos: i32, w: i32) {
  w4_tap(acc, row, row_pos, w);
  if (W4_KW > 1) {
    w4_tap(acc, row, row_pos, w + W4_DW);
  }
  if (W4_KW > 2) {
    w4_tap(acc, row, row_pos, w + 2 * W4_DW);
  }
  for (var kw = 3; kw < W4_KW; kw++) {
    w4_tap(acc, row, row_pos, w + kw * W4_DW);
  }
}

// One input row of a full group whose lane 0 window starts at column w. The lanes' starts are
// written as w + j·W4_SW (not read from each lane's window): with constant offsets llvmpipe's
// compiler loads a column two windows share once (1.3-1.8x faster there than per-lane starts on
// overlapping windows); loading each column once by hand, for all lanes, measured slower on
// SwiftShader and no faster on llvmpipe.
fn w4_row_full(a0: ptr<function, Acc>, a1: ptr<function, Acc>, a2: ptr<function, Acc>, a3: ptr<function, Acc>, row: u32, row_pos: i32, w: i32) {
  w4_lane_full(a0, row, row_pos, w);
  w4_lane_full(a1, row, row_pos, w + W4_SW);
  w4_lane_full(a2, row, row_pos, w + 2 * W4_SW);
  w4_lane_full(a3, row, row_pos, w + 3 * W4_SW);
}

// W4 scan by lanes (map-plane-w4.wgsl): on each window row every lane scans its own real columns,
// so a column two windows overlap on is loaded once per lane that holds it. The max pooling form:
// offering each loaded column to all four lanes (plane-w4-shared.wgsl) measured slower for max on
// SwiftShader and llvmpipe (docs/forward-selection.md).
// The clipped form only: the full-row form is map-plane-w4.wgsl's (nd/w4-full-lane.wgsl).
// Provides: plane_w4_scan. Requires: map-plane-w4.wgsl (PlaneW4Windows), window-constants.wgsl, a reduction.

fn plane_w4_lane(acc: ptr<function, Acc>, row: u32, row_pos: i32, taps: WindowTaps) {
  let dw = window_dw();
  var w = taps.start.z + taps.real_lo.z * dw;
  for (var kw = taps.real_lo.z; kw < taps.real_hi.z; kw++) {
    acc_add(acc, load_x(row + u32(w)), row_pos + w);
    w += dw;
  }
}

// One window row: element `row` of x is the row's column 0, `row_pos` its index.
fn plane_w4_scan(a0: ptr<function, Acc>, a1: ptr<function, Acc>, a2: ptr<function, Acc>, a3: ptr<function, Acc>, win: PlaneW4Windows, row: u32, row_pos: i32) {
  plane_w4_lane(a0, row, row_pos, win.t0);
  plane_w4_lane(a1, row, row_pos, win.t1);
  plane_w4_lane(a2, row, row_pos, win.t2);
  plane_w4_lane(a3, row, row_pos, win.t3);
}

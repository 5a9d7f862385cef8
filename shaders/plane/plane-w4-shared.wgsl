// W4 scan with shared loads (map-plane-w4.wgsl): on each window row the union of the lanes' real
// columns is read once, in increasing column order (each window's own scan order), and every
// column goes to the lanes whose window holds it (w4_taps). The average pooling form: overlapping
// windows (sW < kW) load each element once instead of once per window; the plan keeps it to
// groups that load no more columns than four lanes would (docs/forward-selection.md). The clipped
// form only: where every window holds its taps, map-plane-w4.wgsl runs nd/w4-full-lane.wgsl's
// straight-line form, per lane, which measured faster than this shared loop on both software
// adapters (docs/forward-selection.md, "W4 full rows").
// Provides: plane_w4_scan. Requires: map-plane-w4.wgsl (PlaneW4Windows), w4-rows.wgsl,
// window-constants.wgsl, a reduction with acc_add_where (a branchless masked acc_add). With DILATED
// false (window-constants.wgsl) w4_taps' modulo folds away: left in, it made this scan 1.6-3.7x
// slower on SwiftShader and llvmpipe.

// One window row: element `row` of x is the row's column 0, `row_pos` its index.
fn plane_w4_scan(a0: ptr<function, Acc>, a1: ptr<function, Acc>, a2: ptr<function, Acc>, a3: ptr<function, Acc>, win: PlaneW4Windows, row: u32, row_pos: i32) {
  let starts = vec4i(win.t0.start.z, win.t1.start.z, win.t2.start.z, win.t3.start.z);
  let dw = window_dw();
  let extent = (window_kw() - 1) * dw + 1;
  let cols = w4_real_columns(starts, win.lanes, extent);
  for (var w = cols.x; w < cols.y; w++) {
    let v = load_x(row + u32(w));
    let on = w4_taps(w, starts, extent, dw);
    let pos = row_pos + w;
    acc_add_where(a0, v, pos, on.x);
    acc_add_where(a1, v, pos, on.y);
    acc_add_where(a2, v, pos, on.z);
    acc_add_where(a3, v, pos, on.w);
  }
}

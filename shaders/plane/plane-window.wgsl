// The regular window of the plane kernels as a WindowTaps record (nd/window-record.wgsl): output
// (oh, ow)'s real and declared taps by integer range arithmetic, the kernel size and stride read
// through window-constants.wgsl (so a specialised pipeline folds them). Axis d holds the single
// tap 0, so the N-d reductions (nd/reduce-*.wgsl) serve the plane mappings unchanged.
// Provides: plane_window_taps, window_taps. Requires: the PoolParams uniform `params`, window-constants.wgsl,
// real_taps (window-taps.wgsl), window-record.wgsl.

fn plane_window_taps(oh: i32, ow: i32) -> WindowTaps {
  let h0 = oh * window_sh() - params.padTop;
  let w0 = ow * window_sw() - params.padLeft;
  let rows = real_taps(h0, window_kh(), window_dh(), params.H);
  let cols = real_taps(w0, window_kw(), window_dw(), params.W);
  let declared_rows = real_taps(h0 + params.padTop, window_kh(), window_dh(), params.H + params.padTop + params.padBottom);
  let declared_cols = real_taps(w0 + params.padLeft, window_kw(), window_dw(), params.W + params.padLeft + params.padRight);
  return WindowTaps(
    vec3i(0, h0, w0),
    vec3i(0, rows.x, cols.x),
    vec3i(1, rows.y, cols.y),
    vec3i(0, declared_rows.x, declared_cols.x),
    vec3i(1, declared_rows.y, declared_cols.y),
  );
}

// The window files' common entry (nd/window-*.wgsl), through which the N-d gradients
// (nd/grad-*.wgsl) read a window: output o's taps.
fn window_taps(o: NdCoord) -> WindowTaps {
  return plane_window_taps(o.p.y, o.p.z);
}

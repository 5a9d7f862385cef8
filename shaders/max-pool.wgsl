// Max pooling forward (derivation eq. 1), one invocation per output element.
// The window is scanned row-major (ky outer, kx inner); an element replaces the running maximum when
// it is greater, when it is NaN (so the last NaN wins; under NAN_IGNORE never), or when nothing real
// was seen yet (so a window of -inf still points at its first real element). Ties keep the first
// position.
// Padded positions are skipped, or read as 0 when PAD_ZERO (the derivation's zero padding); a
// padded zero that wins has index -1, since no input element receives its gradient. A ceil-mode
// overhang past the declared end padding is never part of the window. Values are compared as
// order keys and carried as bits (common.wgsl), never as floats, so subnormals survive any adapter.

override PAD_ZERO: bool = false;

// Storage: x, y and indices through the forward accessors (nd/io-forward-f32.wgsl), which own the
// split offsets and the element type.

// A running maximum: its bits, its kept key (kept_key, common.wgsl) and its index.
struct Best {
  bits: u32,
  key: i32,
  index: i32,
}

fn x_bits(at: u32) -> u32 {
  return bitcast<u32>(load_x(at));
}

struct ScanResult {
  best: Best,
  // Scan position ky * kW + kx of the winner, -1 when the window holds no real element.
  tap: i32,
}

// The first-wins scan over the window's real elements only, from the empty running maximum
// (EMPTY_KEY is below every key, so the first element is taken and an all -inf window still points
// at it; under NAN_IGNORE a NaN keys as EMPTY_KEY and is never taken).
fn scan_real(o: vec4i, h0: i32, w0: i32, rows: vec2i, cols: vec2i) -> ScanResult {
  if (rows.x >= rows.y || cols.x >= cols.y) {
    return ScanResult(Best(EMPTY_MAX_BITS, NEGATIVE_INFINITY_KEY, -1), -1);
  }
  var result = ScanResult(Best(EMPTY_MAX_BITS, EMPTY_KEY, -1), -1);
  for (var ky = rows.x; ky < rows.y; ky++) {
    let h = h0 + ky * window_dh();
    for (var kx = cols.x; kx < cols.y; kx++) {
      let w = w0 + kx * window_dw();
      let v = x_bits(tensor_offset(o.x, o.y, h, w, params.H, params.W));
      let k = order_key(v);
      if (takes_max(k, result.best.key)) {
        result = ScanResult(Best(v, kept_key(k), h * params.W + w), ky * window_kw() + kx);
      }
    }
  }
  return result;
}

fn window_max(o: vec4i) -> Best {
  let h0 = o.z * window_sh() - params.padTop;
  let w0 = o.w * window_sw() - params.padLeft;
  let rows = real_taps(h0, window_kh(), window_dh(), params.H);
  let cols = real_taps(w0, window_kw(), window_dw(), params.W);
  let scanned = scan_real(o, h0, w0, rows, cols);
  if (!PAD_ZERO) {
    return scanned.best;
  }
  // The derivation's zero padding: padded positions compete as 0 with index -1. Every padded zero
  // is equal, so only the first in scan order matters, found by range arithmetic: the cost stays
  // that of the real elements however large the window. Sequential first-wins over both: a NaN
  // (real only) wins, then the greater value, and a tie goes to the earlier position.
  let pad_tap = first_padded_tap(h0, w0, rows, cols);
  if (pad_tap < 0) {
    return scanned.best;
  }
  // Zero's order key is 0, for -0 as for +0; a NaN's kept key is above it.
  let k = scanned.best.key;
  if (scanned.tap >= 0 && (k > 0 || (k == 0 && scanned.tap < pad_tap))) {
    return scanned.best;
  }
  return Best(0u, 0, -1);
}

// The scan position of the window's first tap inside the declared padding (not the input, not a
// ceil-mode overhang), or -1 when it has none. `rows` and `cols` are the real taps.
fn first_padded_tap(h0: i32, w0: i32, rows: vec2i, cols: vec2i) -> i32 {
  let declared_rows = real_taps(h0 + params.padTop, window_kh(), window_dh(), params.H + params.padTop + params.padBottom);
  let declared_cols = real_taps(w0 + params.padLeft, window_kw(), window_dw(), params.W + params.padLeft + params.padRight);
  if (declared_rows.x >= declared_rows.y || declared_cols.x >= declared_cols.y) {
    return -1;
  }
  let first_row = declared_rows.x * window_kw();
  // No real element, or a first row above the input: that whole row is padding.
  if (rows.x >= rows.y || cols.x >= cols.y || declared_rows.x < rows.x) {
    return first_row + declared_cols.x;
  }
  // The first row is an input row: padding left or right of its real columns.
  if (declared_cols.x < cols.x) {
    return first_row + declared_cols.x;
  }
  if (cols.y < declared_cols.y) {
    return first_row + cols.y;
  }
  // Input rows hold no padding; the first row below the input does.
  if (rows.y < declared_rows.y) {
    return rows.y * window_kw() + declared_cols.x;
  }
  return -1;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  store_y(i, bitcast<f32>(window_max(tensor_coords(i, params.outH, params.outW)).bits));
}

@compute @workgroup_size(WG)
fn main_with_indices(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let best = window_max(tensor_coords(i, params.outH, params.outW));
  store_y(i, bitcast<f32>(best.bits));
  store_index(i, best.index);
}

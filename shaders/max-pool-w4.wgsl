// Max pooling forward for NCHW, one invocation per 4 consecutive outputs of an output row
// (w4-rows.wgsl): the coordinates, the window's real rows, the row offsets and each lane's real
// columns are worked out once for the four outputs, then each lane scans its own taps. The rules
// are those of max-pool.wgsl, lane by lane: start from the first real element (so a window of -inf
// points at it), replace when greater or NaN (the last NaN wins), ties keep the first; padded
// positions never take part, and a lane with no real element gives -inf and index -1. The
// zero-padding variant runs the scalar kernel. Unlike avg-pool-w4.wgsl, overlapping taps are
// loaded once per lane that holds them: offering each loaded column to all four lanes with vector
// masks measured slower than the scalar kernel on SwiftShader and llvmpipe (docs/forward-selection.md).
// Stores are scalar: a row's tail group writes only its real outputs. Lanes compare order keys and
// carry bits (common.wgsl), so subnormals survive any adapter.

// Storage: x, y and indices through the forward accessors (nd/io-forward-f32.wgsl), which own the
// split offsets and the element type.

// A lane's running maximum: bits, kept key (kept_key, common.wgsl) and index.
struct Best {
  bits: u32,
  key: i32,
  index: i32,
}

struct Best4 {
  bits: vec4u,
  index: vec4i,
}

// One lane's scan of input row h (element `row` of x: its first column) over its real columns, continuing from `best`.
fn scan_lane_row(best: Best, row: u32, h: i32, start: i32, cols: vec2i) -> Best {
  var b = best;
  for (var kx = cols.x; kx < cols.y; kx++) {
    let w = start + kx * window_dw();
    let v = bitcast<u32>(load_x(row + u32(w)));
    let k = order_key(v);
    if (takes_max(k, b.key)) {
      b = Best(v, kept_key(k), h * params.W + w);
    }
  }
  return b;
}

// A lane's running maximum before the scan: empty (-inf, index -1, EMPTY_KEY below every key), so
// its first real element is taken (a NaN under NAN_IGNORE never is) and a lane with none keeps -inf / -1.
fn empty_best() -> Best {
  return Best(EMPTY_MAX_BITS, EMPTY_KEY, -1);
}

fn window_max_w4(o: vec4i) -> Best4 {
  let h0 = o.z * window_sh() - params.padTop;
  let starts = w4_window_starts(o.w);
  let rows = real_taps(h0, window_kh(), window_dh(), params.H);
  if (rows.x >= rows.y) {
    return Best4(vec4u(EMPTY_MAX_BITS), vec4i(-1));
  }
  let c0 = real_taps(starts.x, window_kw(), window_dw(), params.W);
  let c1 = real_taps(starts.y, window_kw(), window_dw(), params.W);
  let c2 = real_taps(starts.z, window_kw(), window_dw(), params.W);
  let c3 = real_taps(starts.w, window_kw(), window_dw(), params.W);
  var b0 = empty_best();
  var b1 = empty_best();
  var b2 = empty_best();
  var b3 = empty_best();
  for (var ky = rows.x; ky < rows.y; ky++) {
    let h = h0 + ky * window_dh();
    let row = tensor_offset(o.x, o.y, h, 0, params.H, params.W);
    b0 = scan_lane_row(b0, row, h, starts.x, c0);
    b1 = scan_lane_row(b1, row, h, starts.y, c1);
    b2 = scan_lane_row(b2, row, h, starts.z, c2);
    b3 = scan_lane_row(b3, row, h, starts.w, c3);
  }
  return Best4(vec4u(b0.bits, b1.bits, b2.bits, b3.bits), vec4i(b0.index, b1.index, b2.index, b3.index));
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = w4_group_coords(i);
  let lanes = w4_lanes(o.w);
  let best = window_max_w4(o);
  let out = w4_output_offset(o);
  for (var t = 0; t < lanes; t++) {
    store_y(out + u32(t), bitcast<f32>(best.bits[t]));
  }
}

@compute @workgroup_size(WG)
fn main_with_indices(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = w4_group_coords(i);
  let lanes = w4_lanes(o.w);
  let best = window_max_w4(o);
  let out = w4_output_offset(o);
  for (var t = 0; t < lanes; t++) {
    store_y(out + u32(t), bitcast<f32>(best.bits[t]));
    store_index(out + u32(t), best.index[t]);
  }
}

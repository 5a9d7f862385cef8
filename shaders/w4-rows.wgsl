// The NCHW "W4" thread mapping of the plane forward kernels (plane/map-plane-w4.wgsl) and the cell backward:
// one invocation per group of 4 consecutive outputs along W of one output row. The domain counts
// groups, ceil(outW / 4) per output row (the last one of a row may hold fewer outputs), so a split
// keeps output rows as its unit. The group's windows start sW apart on the same input rows; a
// kernel may read the union of their real columns once per input row (w4_real_columns), feeding
// each column to the lanes whose window holds it (w4_taps) in increasing column order, which is
// each window's own scan order.

const W4_LANE = vec4i(0, 1, 2, 3);

fn w4_groups_per_row() -> i32 {
  return (params.outW + 3) / 4;
}

// Coordinates (n, c, oh, ow) of group i, ow being the group's first output column.
fn w4_group_coords(i: u32) -> vec4i {
  let o = tensor_coords(i, params.outH, w4_groups_per_row());
  return vec4i(o.x, o.y, o.z, o.w * 4);
}

// Outputs of the group inside its row: 4, fewer at the row's tail; the other lanes are never stored.
fn w4_lanes(ow: i32) -> i32 {
  return min(params.outW - ow, 4);
}

// The input column where each lane's window starts (negative inside the left padding).
fn w4_window_starts(ow: i32) -> vec4i {
  return (vec4i(ow) + W4_LANE) * window_sw() - params.padLeft;
}

// The input columns [begin, end) under the windows (of `extent` columns) of the first `lanes` lanes.
fn w4_real_columns(starts: vec4i, lanes: i32, extent: i32) -> vec2i {
  return vec2i(max(starts.x, 0), min(starts.x + (lanes - 1) * window_sw() + extent, params.W));
}

// The lanes that have input column w as a tap: inside their window and on its dilation grid.
fn w4_taps(w: i32, starts: vec4i, extent: i32, d: i32) -> vec4<bool> {
  let rel = vec4i(w) - starts;
  // One unsigned comparison per lane: a column left of the window wraps to a large offset.
  let inside = bitcast<vec4u>(rel) < vec4u(u32(extent));
  if (d == 1) {
    return inside;
  }
  return inside & (rel % vec4i(d) == vec4i(0));
}

// The element of the output-shaped tensors that holds the group's first output.
fn w4_output_offset(o: vec4i) -> u32 {
  return tensor_offset(o.x, o.y, o.z, o.w, params.outH, params.outW);
}

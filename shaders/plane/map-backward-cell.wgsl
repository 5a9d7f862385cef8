// The cell mappings of the plane backward kernels, for windows that cannot overlap (stride >=
// effective kernel on both axes), without a clear step: one invocation per output element, which
// writes every element of its stride cell (cell_range): what the output sends there (sent_by /
// sent_to, a gradient of the N-d kernels: max its dy at its index, average its share) on the
// window's taps, 0 elsewhere. The cells tile the plane, so every dx element is written exactly
// once; at most one gradient reaches it, so the value is the reference's bit for bit once -0 is
// written as +0 (plus_zero: the reference adds into a zeroed sum). A cell is wider than its window
// when the stride exceeds the effective kernel, or has gaps between taps with dilation, hence the
// tap test (window_tap), which for max is the index rule. Kernel size and stride come from
// window-constants.wgsl (pipeline constants for 2x2 s2).
//   cell     one output per invocation, in either layout (block_coords);
//   cell_w4  NCHW, four consecutive outputs of one output row per invocation (w4-rows.wgsl's
//            groups): the coordinates, the plane and the dy offset are worked out once for the
//            four, then each lane writes its own cell as `cell` does. Same stores, same values.
// The four channels of an NHWC output are map-backward-cell-vec4.wgsl's.
// Requires: backward-geometry.wgsl; w4-rows.wgsl; sent_by, sent_to, gathered_dx (nd/grad-*.wgsl);
// store_dx (io-plane-backward.wgsl).

// What output o sends to the dx element at `base + pos * step`, in-plane position (h, w).
fn cell_value(sent: Sent, o: NdCoord, h: i32, w: i32, pos: i32, at: u32) -> f32 {
  return gathered_dx(at, plus_zero(select(0.0, sent_to(sent, pos), window_tap(h, w, o.p.y, o.p.z))));
}

// Output o's stride cell, in the block whose element (0, 0) is dx's `base` (positions
// element_step() apart). On the 2x2 s2 pipeline (window constants) a whole cell inside the input
// is its window: four stores without a loop or tap tests; edge cells (clipped, or the last one's
// overhang) take the loop.
fn write_cell(base: u32, o: NdCoord, sent: Sent) {
  let oh = o.p.y;
  let ow = o.p.z;
  let rows = cell_range(oh, params.padTop, window_sh(), params.outH, params.H);
  let cols = cell_range(ow, params.padLeft, window_sw(), params.outW, params.W);
  let h0 = oh * window_sh() - params.padTop;
  let w0 = ow * window_sw() - params.padLeft;
  let step = element_step();
  if (KH == 2 && KW == 2 && SH == 2 && SW == 2 && rows.y - rows.x == 2 && cols.y - cols.x == 2 && h0 == rows.x && w0 == cols.x) {
    let pos = h0 * params.W + w0;
    let e = base + u32(pos) * step;
    let below = e + u32(params.W) * step;
    store_dx(e, gathered_dx(e, plus_zero(sent_to(sent, pos))));
    store_dx(e + step, gathered_dx(e + step, plus_zero(sent_to(sent, pos + 1))));
    store_dx(below, gathered_dx(below, plus_zero(sent_to(sent, pos + params.W))));
    store_dx(below + step, gathered_dx(below + step, plus_zero(sent_to(sent, pos + params.W + 1))));
    return;
  }
  for (var h = rows.x; h < rows.y; h++) {
    for (var w = cols.x; w < cols.y; w++) {
      let pos = h * params.W + w;
      let at = base + u32(pos) * step;
      store_dx(at, cell_value(sent, o, h, w, pos, at));
    }
  }
}

@compute @workgroup_size(WG)
fn cell(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let b = block_coords(i, u32(params.outH), u32(params.outW));
  // n is the block (the (n, c) plane in NCHW, the image in NHWC); the gradients read the output
  // through its dy element i and its position.
  let o = NdCoord(i32(b.x), i32(b.y), vec3i(0, i32(b.z), i32(b.w)));
  write_cell(block_base(b), o, sent_by(i, o));
}

@compute @workgroup_size(WG)
fn cell_w4(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let g = w4_group_coords(i);
  let lanes = w4_lanes(g.w);
  let first = w4_output_offset(g);
  let plane = tensor_offset(g.x, g.y, 0, 0, params.H, params.W);
  for (var t = 0; t < lanes; t++) {
    let o = NdCoord(g.x, g.y, vec3i(0, g.z, g.w + t));
    write_cell(plane, o, sent_by(first + u32(t), o));
  }
}

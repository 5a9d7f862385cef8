// Average pooling backward (derivation eq. 7-9): every window spreads dy / divisor over its real
// elements, with window_divisor (avg-divisor.wgsl), the forward's own divisor, so countIncludePad,
// divisorOverride and the ceil-mode overhang agree with the forward by construction. A window with
// divisor 0 has no real element and sends nothing. Entry points, picked by the host
// (src/kernels/backward-choice.ts):
//   scatter  one invocation per output element, atomically adding its share into each real element
//            of its window (overlapping windows add into the same elements); dx is zeroed first.
//   direct   the same mapping when windows cannot overlap (stride >= kernel on both axes): each
//            element has at most one writer, so plain stores; dx is zeroed first (gaps stay 0).
//   gather   one invocation per input element, summing the shares of the windows that cover it,
//            oh outer and ow inner, ascending: bit-identical run to run. Writes every element.
//   cell     windows that cannot overlap, without a clear step: one invocation per output element
//            (cell_vec4 in avg-pool-backward-vec4.wgsl: four channels of one, NHWC), writing every
//            element of its stride cell (cell_range): its share on the window's taps, 0 elsewhere.
//            Every dx element is written exactly once, with the value direct would store there.
//            Kernel size and stride come from window-constants.wgsl (constants for 2x2 s2).

// Storage: dy and dx through io-plane-backward.wgsl's accessors.

// The real elements of window o as [h_begin, h_end) x [w_begin, w_end), the forward's bounds.
fn real_extent(o: vec4i) -> vec4i {
  let h0 = o.z * params.sH - params.padTop;
  let w0 = o.w * params.sW - params.padLeft;
  return vec4i(max(h0, 0), min(h0 + params.kH, params.H), max(w0, 0), min(w0 + params.kW, params.W));
}

fn share(i: u32, o: vec4i) -> f32 {
  return window_share(i, o.z, o.w);
}

// dy / divisor of window (oh, ow), whose dy is element o of dy.
fn window_share(o: u32, oh: i32, ow: i32) -> f32 {
  let divisor = window_divisor(oh, ow);
  return select(load_dy(o) / divisor, 0.0, divisor == 0.0);
}

@compute @workgroup_size(WG)
fn scatter(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = tensor_coords(i, params.outH, params.outW);
  let part = share(i, o);
  let r = real_extent(o);
  for (var h = r.x; h < r.y; h++) {
    for (var w = r.z; w < r.w; w++) {
      add_dx(tensor_offset(o.x, o.y, h, w, params.H, params.W), part);
    }
  }
}

@compute @workgroup_size(WG)
fn direct(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = tensor_coords(i, params.outH, params.outW);
  let part = share(i, o);
  let r = real_extent(o);
  for (var h = r.x; h < r.y; h++) {
    for (var w = r.z; w < r.w; w++) {
      store_dx(tensor_offset(o.x, o.y, h, w, params.H, params.W), part);
    }
  }
}

@compute @workgroup_size(WG)
fn gather(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = tensor_coords(i, params.H, params.W);
  // Average pooling has no dilation (d = 1), so every output in the range covers the element.
  let rows = reaching_range(e.z, params.padTop, params.kH, params.sH, 1, params.outH);
  let cols = reaching_range(e.w, params.padLeft, params.kW, params.sW, 1, params.outW);
  var sum = 0.0;
  for (var oh = rows.x; oh <= rows.y; oh++) {
    for (var ow = cols.x; ow <= cols.y; ow++) {
      let divisor = window_divisor(oh, ow);
      if (divisor != 0.0) {
        sum += load_dy(tensor_offset(e.x, e.y, oh, ow, params.outH, params.outW)) / divisor;
      }
    }
  }
  store_dx(i, sum);
}

// Output (oh, ow)'s stride cell, in the block whose element (0, 0) is x's `base` (positions
// element_step() apart): `part` on the window's taps, 0 elsewhere. On the 2x2 s2 pipeline (window
// constants) a whole cell inside the input is its window: four stores without a loop; edge cells
// (clipped, or the last one's overhang) take the loop.
fn write_cell(base: u32, oh: i32, ow: i32, part: f32) {
  let rows = cell_range(oh, params.padTop, window_sh(), params.outH, params.H);
  let cols = cell_range(ow, params.padLeft, window_sw(), params.outW, params.W);
  let h0 = oh * window_sh() - params.padTop;
  let w0 = ow * window_sw() - params.padLeft;
  let step = element_step();
  if (KH == 2 && KW == 2 && SH == 2 && SW == 2 && rows.y - rows.x == 2 && cols.y - cols.x == 2 && h0 == rows.x && w0 == cols.x) {
    let e = base + u32(h0 * params.W + w0) * step;
    let below = e + u32(params.W) * step;
    store_dx(e, part);
    store_dx(e + step, part);
    store_dx(below, part);
    store_dx(below + step, part);
    return;
  }
  for (var h = rows.x; h < rows.y; h++) {
    for (var w = cols.x; w < cols.y; w++) {
      store_dx(base + u32(h * params.W + w) * step, select(0.0, part, h - h0 < window_kh() && w - w0 < window_kw()));
    }
  }
}

@compute @workgroup_size(WG)
fn cell(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = block_coords(i, u32(params.outH), u32(params.outW));
  let oh = i32(o.z);
  let ow = i32(o.w);
  write_cell(block_base(o), oh, ow, window_share(i, oh, ow));
}

// cell_w4: the cell form for NCHW with four consecutive outputs of one output row per invocation
// (w4-rows.wgsl's groups): the coordinates, the plane and the dy offset are worked out once for
// the four, then each lane writes its own stride cell as `cell` does. Same stores, same values.
@compute @workgroup_size(WG)
fn cell_w4(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = w4_group_coords(i);
  let lanes = w4_lanes(o.w);
  let first = w4_output_offset(o);
  let plane = tensor_offset(o.x, o.y, 0, 0, params.H, params.W);
  for (var t = 0; t < lanes; t++) {
    write_cell(plane, o.z, o.w + t, window_share(first + u32(t), o.z, o.w + t));
  }
}

// The near gathers of the N-d LP kernels (lpGatherKernel in src/kernels/lp-pool.ts), on the
// stride cells of map-gather-cells.wgsl (whose `gather` runs any other LP window).
// Requires: nd-layout.wgsl; map-gather-cells.wgsl (stride_cell); grad-lp.wgsl (window_gradient,
// gathered_dx); io-gather-lp-*.wgsl.

// The near gather (lpGatherNear in src/kernels/lp-pool.ts): rank ≤ 2 (the first axis has one
// position), no dilation and (k − 1) < 2·s on both axes, so an element of cell o is reached by o
// and at most o − 1 along each axis. The four shares are loaded once per cell and every element
// adds those that reach it, without a loop per output: software adapters pay for every loop
// iteration and every integer division (their lanes run in lockstep, and vector integer division
// is emulated), so the coordinates are decoded with the fewest unsigned divisions and the offsets
// of the neighbouring outputs and the cell's elements are derived from them by multiplication.
// Same sums as `gather`, in the same order (o before o − 1 on each axis, h outer).

struct LpCell {
  // Offset of output (oh, ow) and of input position (0, 0) of the same (n, c).
  out: u32,
  in_base: u32,
  oh: i32,
  ow: i32,
}

fn lp_cell_coords(i: u32) -> LpCell {
  let ow_n = u32(params.outW);
  let oh_n = u32(params.outH);
  let in_plane = u32(params.inH * params.inW);
  if (CHANNELS_LAST) {
    let c_n = u32(params.C);
    let pixel = i / c_n;
    let c = i - pixel * c_n;
    let row = pixel / ow_n;
    let n = row / oh_n;
    return LpCell(i, n * in_plane * c_n + c, i32(row - n * oh_n), i32(pixel - row * ow_n));
  }
  let row = i / ow_n;
  let plane = row / oh_n;
  return LpCell(i, plane * in_plane, i32(row - plane * oh_n), i32(i - row * ow_n));
}

// What the output at offset oi sends, or 0 where `valid` is false (a coordinate before the first output).
fn lp_share_if(oi: u32, valid: bool) -> f32 {
  if (!valid) {
    return 0.0;
  }
  return window_gradient(oi, NdCoord(0, 0, vec3i(0)), 0);
}

@compute @workgroup_size(WG)
fn gather_near(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = lp_cell_coords(i);
  let step = select(1u, u32(params.C), CHANNELS_LAST);
  let row_step = step * u32(params.outW);
  let has_left = e.ow > 0;
  let has_up = e.oh > 0;
  let g00 = lp_share_if(e.out, true);
  let g01 = lp_share_if(e.out - step, has_left);
  let g10 = lp_share_if(e.out - row_step, has_up);
  let g11 = lp_share_if(e.out - row_step - step, has_left && has_up);
  let ch = stride_cell(e.oh, params.pbH, params.sH, params.inH, params.outH);
  let cw = stride_cell(e.ow, params.pbW, params.sW, params.inW, params.outW);
  // Last position o and o − 1 reach along each axis.
  let last_h = e.oh * params.sH - params.pbH + params.kH - 1;
  let last_w = e.ow * params.sW - params.pbW + params.kW - 1;
  let in_row = step * u32(params.inW);
  var row = e.in_base + u32(ch.x) * in_row + u32(cw.x) * step;
  for (var qh = ch.x; qh < ch.y; qh++) {
    let h0 = qh <= last_h;
    let h1 = qh <= last_h - params.sH;
    var xi = row;
    for (var qw = cw.x; qw < cw.y; qw++) {
      let w0 = qw <= last_w;
      let w1 = qw <= last_w - params.sW;
      let r0 = select(0.0, g00, w0) + select(0.0, g01, w1);
      let r1 = select(0.0, g10, w0) + select(0.0, g11, w1);
      let sum = select(0.0, r0, h0) + select(0.0, r1, h1);
      store_dx(xi, gathered_dx(xi, sum));
      xi += step;
    }
    row += in_row;
  }
}

// The near gather of map-gather-lp.wgsl (gather_near) over four adjacent channels of a
// channels-last tensor with C % 4 == 0: one invocation per output pixel and group of four
// channels, so the coordinates and the cell are worked out once for four channels and the loads
// and stores are 16 bytes. The domain counts vec4s. Requires: map-gather-cells.wgsl (stride_cell),
// map-gather-lp.wgsl (lp_cell_coords); grad-lp-vec4.wgsl; io-gather-lp-vec4-f32.wgsl.

fn lp_share4_if(oi: u32, valid: bool) -> vec4f {
  if (!valid) {
    return vec4f(0.0);
  }
  return window_gradient4(oi);
}

@compute @workgroup_size(WG)
fn gather_near4(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = lp_cell_coords(i * 4u);
  let step = u32(params.C);
  let row_step = step * u32(params.outW);
  let has_left = e.ow > 0;
  let has_up = e.oh > 0;
  let g00 = lp_share4_if(e.out, true);
  let g01 = lp_share4_if(e.out - step, has_left);
  let g10 = lp_share4_if(e.out - row_step, has_up);
  let g11 = lp_share4_if(e.out - row_step - step, has_left && has_up);
  let ch = stride_cell(e.oh, params.pbH, params.sH, params.inH, params.outH);
  let cw = stride_cell(e.ow, params.pbW, params.sW, params.inW, params.outW);
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
      let r0 = select(vec4f(0.0), g00, w0) + select(vec4f(0.0), g01, w1);
      let r1 = select(vec4f(0.0), g10, w0) + select(vec4f(0.0), g11, w1);
      let sum = select(vec4f(0.0), r0, h0) + select(vec4f(0.0), r1, h1);
      store_dx4(xi, gathered_dx4(xi, sum));
      xi += step;
    }
    row += in_row;
  }
}

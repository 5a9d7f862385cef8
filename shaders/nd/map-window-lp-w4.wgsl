// Forward mapping of the N-d LP kernels for channel-first tensors: one invocation per group of 4
// consecutive outputs along the last axis (W) of one output row (the last group of a row may hold
// fewer). The coordinates, the real taps of the first two axes and the row offsets are worked out
// once for the four outputs; each lane then scans its own real columns (overlapping taps are loaded
// once per lane that holds them, as in max-pool-w4.wgsl). The domain counts groups,
// ceil(outW / 4) per output row, so a split keeps output rows as its unit. Real taps only.
// Requires: nd-layout.wgsl, real_taps (window-taps.wgsl); reduce-lp.wgsl (Acc, acc_add, lp_value);
// io-forward-f32.wgsl; linear_invocation.

fn lp_w4_lane(acc: ptr<function, Acc>, row: u32, start: i32, cols: vec2i, dw: i32) {
  var w = start + cols.x * dw;
  for (var kw = cols.x; kw < cols.y; kw++) {
    acc_add(acc, load_x(row + u32(w)), w);
    w += dw;
  }
}

@compute @workgroup_size(WG)
fn main_w4(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let groups = (params.outW + 3) / 4;
  let j = i32(i);
  let ow = (j % groups) * 4;
  let r = j / groups;
  let oh = r % params.outH;
  let r2 = r / params.outH;
  let od = r2 % params.outD;
  let plane = r2 / params.outD;
  let size = in_size();
  let k = kernel_size();
  let d = dilations();
  let s = strides();
  let sd = od * s.x - params.pbD;
  let sh = oh * s.y - params.pbH;
  let sw = vec4i(ow) * s.z + vec4i(0, 1, 2, 3) * s.z - params.pbW;
  let rd = real_taps(sd, k.x, d.x, size.x);
  let rh = real_taps(sh, k.y, d.y, size.y);
  let c0 = real_taps(sw.x, k.z, d.z, size.z);
  let c1 = real_taps(sw.y, k.z, d.z, size.z);
  let c2 = real_taps(sw.z, k.z, d.z, size.z);
  let c3 = real_taps(sw.w, k.z, d.z, size.z);
  let volume = u32(plane) * u32(size.x * size.y * size.z);
  var a0 = acc_init();
  var a1 = acc_init();
  var a2 = acc_init();
  var a3 = acc_init();
  for (var kd = rd.x; kd < rd.y; kd++) {
    let pd = sd + kd * d.x;
    for (var kh = rh.x; kh < rh.y; kh++) {
      let row = volume + u32((pd * size.y + sh + kh * d.y) * size.z);
      lp_w4_lane(&a0, row, sw.x, c0, d.z);
      lp_w4_lane(&a1, row, sw.y, c1, d.z);
      lp_w4_lane(&a2, row, sw.z, c2, d.z);
      lp_w4_lane(&a3, row, sw.w, c3, d.z);
    }
  }
  let lanes = min(params.outW - ow, 4);
  let out = u32(((plane * params.outD + od) * params.outH + oh) * params.outW + ow);
  store_y(out, lp_value(a0));
  if (lanes > 1) {
    store_y(out + 1u, lp_value(a1));
  }
  if (lanes > 2) {
    store_y(out + 2u, lp_value(a2));
  }
  if (lanes > 3) {
    store_y(out + 3u, lp_value(a3));
  }
}

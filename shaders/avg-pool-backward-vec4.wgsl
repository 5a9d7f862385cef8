// Average pooling backward, gather form, for NHWC with C % 4 == 0: one invocation per 4 adjacent
// channels of one input position, summing dy/divisor (vec4 loads) over the windows that cover it,
// oh outer and ow inner ascending as the scalar gather does, so it is just as deterministic. The
// divisor depends on the window only, so it is computed once for all four channels. The domain is
// counted in vec4s.
// cell_vec4: the cell form (avg-pool-backward.wgsl) for the same tensors, windows that cannot
// overlap: one invocation per four channels of one output, one vec4 load of dy, one vec4 store per
// element of the output's stride cell.

// Storage: the vec4 views of io-plane-backward.wgsl.

@compute @workgroup_size(WG)
fn gather_vec4(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = channel_group_coords(i, params.H, params.W);
  let n = e.x;
  let c = e.y;
  let h = e.z;
  let w = e.w;
  let rows = reaching_range(h, params.padTop, params.kH, params.sH, 1, params.outH);
  let cols = reaching_range(w, params.padLeft, params.kW, params.sW, 1, params.outW);
  var sum = vec4f(0.0);
  for (var oh = rows.x; oh <= rows.y; oh++) {
    for (var ow = cols.x; ow <= cols.y; ow++) {
      let divisor = window_divisor(oh, ow);
      if (divisor != 0.0) {
        sum += load_dy4(tensor_offset(n, c, oh, ow, params.outH, params.outW) / 4u) / divisor;
      }
    }
  }
  store_dx4(i, sum);
}

@compute @workgroup_size(WG)
fn cell_vec4(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = channel_group_coords(i, params.outH, params.outW);
  let rows = cell_range(o.z, params.padTop, window_sh(), params.outH, params.H);
  let cols = cell_range(o.w, params.padLeft, window_sw(), params.outW, params.W);
  let divisor = window_divisor(o.z, o.w);
  let part = select(load_dy4(i) / divisor, vec4f(0.0), divisor == 0.0);
  let h0 = o.z * window_sh() - params.padTop;
  let w0 = o.w * window_sw() - params.padLeft;
  for (var h = rows.x; h < rows.y; h++) {
    for (var w = cols.x; w < cols.y; w++) {
      let tap = h - h0 < window_kh() && w - w0 < window_kw();
      store_dx4(tensor_offset(o.x, o.y, h, w, params.H, params.W) / 4u, select(vec4f(0.0), part, tap));
    }
  }
}

// Max pooling backward, cell form (max-pool-backward.wgsl) for NHWC with C % 4 == 0: one
// invocation per four adjacent channels of one output, which share the window and its cell: one
// vec4 load each of dy and indices, one vec4 store per element of the cell. The domain is counted
// in vec4s. The index rule (own_tap in max-pool-backward.wgsl) is tested lane by lane.

// own_tap for four indices of one output (oh, ow).
fn own_tap4(index: vec4i, oh: i32, ow: i32) -> vec4<bool> {
  let u = bitcast<vec4u>(index);
  let h = u / vec4u(u32(params.W));
  let w = u - h * vec4u(u32(params.W));
  let inside = u < vec4u(u32(params.H * params.W));
  return inside & axis_tap4(vec4i(h), oh, params.padTop, window_kh(), window_sh(), window_dh()) & axis_tap4(vec4i(w), ow, params.padLeft, window_kw(), window_sw(), window_dw());
}

fn axis_tap4(pos: vec4i, o: i32, pad: i32, k: i32, s: i32, d: i32) -> vec4<bool> {
  let offset = pos + vec4i(pad - o * s);
  let inside = bitcast<vec4u>(offset) <= vec4u(u32(d * (k - 1)));
  if (DILATED) {
    return inside & (offset % vec4i(d) == vec4i(0));
  }
  return inside;
}

// Storage: the vec4 views of io-plane-backward.wgsl.

@compute @workgroup_size(WG)
fn cell_vec4(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = channel_group_coords(i, params.outH, params.outW);
  let rows = cell_range(o.z, params.padTop, window_sh(), params.outH, params.H);
  let cols = cell_range(o.w, params.padLeft, window_sw(), params.outW, params.W);
  let raw = load_index4(i);
  let index = select(vec4i(-1), raw, own_tap4(raw, o.z, o.w));
  let g = plus_zero4(load_dy4(i));
  for (var h = rows.x; h < rows.y; h++) {
    for (var w = cols.x; w < cols.y; w++) {
      store_dx4(tensor_offset(o.x, o.y, h, w, params.H, params.W) / 4u, select(vec4f(0.0), g, index == vec4i(h * params.W + w)));
    }
  }
}

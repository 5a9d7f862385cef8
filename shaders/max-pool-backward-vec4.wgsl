// Max pooling backward, cell form (max-pool-backward.wgsl) for NHWC with C % 4 == 0: one
// invocation per four adjacent channels of one output, which share the window and its cell: one
// vec4 load each of dy and indices, one vec4 store per element of the cell. The domain is counted
// in vec4s.

@group(0) @binding(1) var<storage, read> dy4: array<vec4f>;
@group(0) @binding(2) var<storage, read> indices4: array<vec4i>;
@group(0) @binding(3) var<storage, read_write> dx4: array<vec4f>;

@compute @workgroup_size(WG)
fn cell_vec4(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = channel_group_coords(i, params.outH, params.outW);
  let rows = cell_range(o.z, params.padTop, window_sh(), params.outH, params.H);
  let cols = cell_range(o.w, params.padLeft, window_sw(), params.outW, params.W);
  let index = indices4[i - params.outOffset / 4u];
  let g = plus_zero4(dy4[i - params.outOffset / 4u]);
  for (var h = rows.x; h < rows.y; h++) {
    for (var w = cols.x; w < cols.y; w++) {
      dx4[(tensor_offset(o.x, o.y, h, w, params.H, params.W) - params.inOffset) / 4u] = select(vec4f(0.0), g, index == vec4i(h * params.W + w));
    }
  }
}

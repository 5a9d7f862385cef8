// Average pooling backward, gather form, for NHWC with C % 4 == 0: one invocation per 4 adjacent
// channels of one input position, summing dy/divisor (vec4 loads) over the windows that cover it,
// oh outer and ow inner ascending as the scalar gather does, so it is just as deterministic. The
// divisor depends on the window only, so it is computed once for all four channels. The domain is
// counted in vec4s.

@group(0) @binding(1) var<storage, read> dy4: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> dx4: array<vec4f>;

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
        sum += dy4[(tensor_offset(n, c, oh, ow, params.outH, params.outW) - params.outOffset) / 4u] / divisor;
      }
    }
  }
  dx4[i - params.inOffset / 4u] = sum;
}

// The cell mapping (map-backward-cell.wgsl) for NHWC with C % 4 == 0: one invocation per four
// adjacent channels of one output, which share the window and its cell: one vec4 load of what the
// output sends (nd/grad-*-vec4.wgsl), one tap test and one vec4 store per element of the cell. The
// domain is counted in vec4s.
// Requires: backward-geometry.wgsl; sent_by4, sent_to4 (nd/grad-*-vec4.wgsl); store_dx4
// (io-plane-backward.wgsl).

@compute @workgroup_size(WG)
fn cell_vec4(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = channel_group_coords(i, params.outH, params.outW);
  let o = NdCoord(e.x, e.y, vec3i(0, e.z, e.w));
  let rows = cell_range(e.z, params.padTop, window_sh(), params.outH, params.H);
  let cols = cell_range(e.w, params.padLeft, window_sw(), params.outW, params.W);
  let sent = sent_by4(i, o);
  for (var h = rows.x; h < rows.y; h++) {
    for (var w = cols.x; w < cols.y; w++) {
      let v = select(vec4f(0.0), sent_to4(sent, h * params.W + w), window_tap(h, w, e.z, e.w));
      store_dx4(tensor_offset(e.x, e.y, h, w, params.H, params.W) / 4u, plus_zero4(v));
    }
  }
}

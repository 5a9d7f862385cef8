// The gather mapping (map-backward-gather.wgsl) for NHWC with C % 4 == 0: one invocation per four
// adjacent channels of one input position, with vec4 loads and a vec4 gradient (nd/grad-*-vec4.wgsl:
// what an output's window sends is worked out once for the four). Same sums in the same order per
// channel, so just as deterministic. The domain is counted in vec4s.
// Requires: backward-geometry.wgsl (reaching_outputs, on_tap_grid); sent_by4, sent_to4 (nd/grad-*-vec4.wgsl);
// store_dx4 (io-plane-backward.wgsl).

@compute @workgroup_size(WG)
fn gather_vec4(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = channel_group_coords(i, params.H, params.W);
  let pos = e.z * params.W + e.w;
  let r = reaching_outputs(e.z, e.w);
  var sum = vec4f(0.0);
  for (var oh = r.x; oh <= r.y; oh++) {
    if (!on_tap_grid(e.z, params.padTop, oh, params.dH, params.sH)) {
      continue;
    }
    for (var ow = r.z; ow <= r.w; ow++) {
      if (on_tap_grid(e.w, params.padLeft, ow, params.dW, params.sW)) {
        let o = NdCoord(e.x, e.y, vec3i(0, oh, ow));
        sum += sent_to4(sent_by4(tensor_offset(e.x, e.y, oh, ow, params.outH, params.outW) / 4u, o), pos);
      }
    }
  }
  store_dx4(i, sum);
}

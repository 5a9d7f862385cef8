// Average pooling forward for NHWC with C % 4 == 0: one invocation per 4 adjacent channels of one
// output position, summing vec4 loads over the window's real elements and dividing by the same
// divisor as the scalar kernel (avg-divisor.wgsl). The domain is counted in vec4s.

// Storage: x4 and y4 through the vec4 forward accessors (nd/io-forward-vec4-f32.wgsl),
// which own the split offsets and the element type.

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = channel_group_coords(i, params.outH, params.outW);
  let n = o.x;
  let c = o.y;
  let oh = o.z;
  let ow = o.w;
  let h0 = oh * params.sH - params.padTop;
  let w0 = ow * params.sW - params.padLeft;
  var sum = vec4f(0.0);
  for (var h = max(h0, 0); h < min(h0 + params.kH, params.H); h++) {
    for (var w = max(w0, 0); w < min(w0 + params.kW, params.W); w++) {
      sum += load_x4(tensor_offset(n, c, h, w, params.H, params.W) / 4u);
    }
  }
  let divisor = window_divisor(oh, ow);
  store_y4(i, select(sum / divisor, vec4f(0.0), divisor == 0.0));
}

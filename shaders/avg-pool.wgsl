// Average pooling forward (derivation eq. 2), one invocation per output element.
// The divisor follows PyTorch: the window clipped to [-pad, in + pad) when padding counts
// (COUNT_PAD), the real elements otherwise, or divisorOverride when nonzero; divisor 0 gives 0.
// window_divisor (avg-divisor.wgsl) is shared with the backward kernels, which must use the same one.

// Storage: x and y through the forward accessors (nd/io-forward-f32.wgsl), which own the
// split offsets and the element type.

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = tensor_coords(i, params.outH, params.outW);
  let h0 = o.z * params.sH - params.padTop;
  let w0 = o.w * params.sW - params.padLeft;
  let h_begin = max(h0, 0);
  let w_begin = max(w0, 0);
  let h_end = min(h0 + params.kH, params.H);
  let w_end = min(w0 + params.kW, params.W);
  var sum = 0.0;
  for (var h = h_begin; h < h_end; h++) {
    for (var w = w_begin; w < w_end; w++) {
      sum += load_x(tensor_offset(o.x, o.y, h, w, params.H, params.W));
    }
  }
  let divisor = window_divisor(o.z, o.w);
  store_y(i, select(sum / divisor, 0.0, divisor == 0.0));
}

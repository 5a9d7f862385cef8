// The gather mapping of the plane backward kernels: one invocation per input element, summing what
// each output whose window has a tap on it sends there (window_gradient, a gradient of the N-d
// kernels: max sends dy when its index is this position, average its share). oh outer and ow inner,
// ascending: a fixed order, so the result is bit-identical run to run. Writes every element; no
// zeroing needed. Without dilation every output in reach has a tap on the element (on_tap_grid).
// Requires: backward-geometry.wgsl (reaching_outputs, on_tap_grid); window_gradient, gathered_dx (nd/grad-*.wgsl);
// load_dy, store_dx (io-plane-backward.wgsl).

@compute @workgroup_size(WG)
fn gather(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = tensor_coords(i, params.H, params.W);
  let pos = e.z * params.W + e.w;
  let r = reaching_outputs(e.z, e.w);
  var sum = 0.0;
  for (var oh = r.x; oh <= r.y; oh++) {
    if (!on_tap_grid(e.z, params.padTop, oh, params.dH, params.sH)) {
      continue;
    }
    for (var ow = r.z; ow <= r.w; ow++) {
      if (on_tap_grid(e.w, params.padLeft, ow, params.dW, params.sW)) {
        sum += window_gradient(tensor_offset(e.x, e.y, oh, ow, params.outH, params.outW), NdCoord(e.x, e.y, vec3i(0, oh, ow)), pos);
      }
    }
  }
  store_dx(i, gathered_dx(i, sum));
}

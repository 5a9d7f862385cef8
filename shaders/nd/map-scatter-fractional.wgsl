// Fractional max pooling backward: one invocation per 4 consecutive dy elements in memory order
// inside one split unit (a plane in channel-first order, a channels-last image; ceil(unit length /
// 4) invocations a unit), adding each atomically into dx at its index (dx cleared first; windows
// may overlap, so several outputs can name one element). Any index inside the (n, c) input volume
// is taken as it is (PyTorch); one outside it (-1, negative, too large) sends nothing and is never
// written out of bounds. Not bit-reproducible where two adds meet one element (the CAS add of
// io-scatter-fractional-f32.wgsl). Offsets come from the unit and the channel alone: no division
// per element.
// Requires: nd-layout.wgsl, io-scatter-fractional-f32.wgsl, linear_invocation.

@compute @workgroup_size(WG)
fn scatter(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let volume = params.inD * params.inH * params.inW;
  let outVol = u32(params.outD * params.outH * params.outW);
  let C = u32(params.C);
  let L = select(outVol, outVol * C, CHANNELS_LAST);
  let G = (L + 3u) / 4u;
  let u = i / G;
  let r = (i - u * G) * 4u;
  let lanes = min(L - r, 4u);
  let first = u * L + r;
  let unitBase = u * u32(volume) * select(1u, C, CHANNELS_LAST);
  var c = r % C;
  for (var t = 0u; t < lanes; t++) {
    let idx = load_index(first + t);
    if (idx >= 0 && idx < volume) {
      if (CHANNELS_LAST) {
        add_dx(unitBase + u32(idx) * C + c, load_dy(first + t));
      } else {
        add_dx(unitBase + u32(idx), load_dy(first + t));
      }
    }
    c = select(c + 1u, 0u, c + 1u == C);
  }
}

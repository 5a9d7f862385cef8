// Fractional max pooling backward: one invocation per 4 consecutive dy elements in memory order
// inside one split unit (a plane in channel-first order, a channels-last image; ceil(unit length /
// 4) invocations a unit), adding each atomically into dx at its index (dx cleared first; windows
// may overlap, so several outputs can name one element). Any index inside the (n, c) input volume
// is taken as it is (PyTorch); one outside it (-1, negative, too large) sends nothing and is never
// written out of bounds. Not bit-reproducible where two adds meet one element (the CAS add of
// io-scatter-fractional-f32.wgsl). Offsets come from the unit and the channel alone: no division
// per element.
// FULL_GROUPS (where a unit holds 4 elements or more): the unit's short last group is shifted back
// to four of the unit's elements and skips the lanes the group before it sends, so the four lanes
// are straight-line code instead of a loop over the lane count.
// Requires: nd-layout.wgsl, io-scatter-fractional-f32.wgsl, linear_invocation.
override FULL_GROUPS: bool = false;

// dy element e (channel c in channels-last order) into dx at its index, if the index is inside the
// (n, c) volume starting at x offset unit_base.
fn scatter_one(e: u32, c: u32, unit_base: u32) {
  let volume = params.inD * params.inH * params.inW;
  let idx = load_index(e);
  if (idx >= 0 && idx < volume) {
    if (CHANNELS_LAST) {
      add_dx(unit_base + u32(idx) * u32(params.C) + c, load_dy(e));
    } else {
      add_dx(unit_base + u32(idx), load_dy(e));
    }
  }
}

fn next_channel(c: u32) -> u32 {
  return select(c + 1u, 0u, c + 1u == u32(params.C));
}

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
  let r_group = (i - u * G) * 4u;
  let unitBase = u * u32(volume) * select(1u, C, CHANNELS_LAST);
  if (FULL_GROUPS) {
    let r = min(r_group, L - 4u);
    let skip = r_group - r;
    let first = u * L + r;
    let c0 = r % C;
    let c1 = next_channel(c0);
    let c2 = next_channel(c1);
    if (skip == 0u) {
      scatter_one(first, c0, unitBase);
    }
    if (skip <= 1u) {
      scatter_one(first + 1u, c1, unitBase);
    }
    if (skip <= 2u) {
      scatter_one(first + 2u, c2, unitBase);
    }
    scatter_one(first + 3u, next_channel(c2), unitBase);
    return;
  }
  let r = r_group;
  let lanes = min(L - r, 4u);
  let first = u * L + r;
  var c = r % C;
  for (var t = 0u; t < lanes; t++) {
    scatter_one(first + t, c, unitBase);
    c = next_channel(c);
  }
}

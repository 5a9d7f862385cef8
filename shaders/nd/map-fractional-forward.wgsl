// Fractional max pooling forward, its own mapping (docs/unpool-fractional.md, Performance): one
// invocation per 4 consecutive output elements in memory order inside one split unit (a plane in
// channel-first order, a channels-last image), F4_GROUPS = ceil(unit length / 4) of them per unit.
// Each output reads its window's flat start from the output-shaped table (window_starts,
// io-forward-fractional-f32.wgsl) and scans the kD × kH × kW taps from there by additions: no
// output coordinates, no division of the start. Taps go to max pooling's reduction (reduce-max.wgsl)
// in scan order with their flat positions as indices (fractional-window.wgsl).
// Requires: nd-layout.wgsl, reduce-max.wgsl, fractional-window.wgsl, io-forward-fractional-f32.wgsl,
// linear_invocation.
fn unit_length() -> u32 {
  let outVol = u32(params.outD * params.outH * params.outW);
  return select(outVol, outVol * u32(params.C), CHANNELS_LAST);
}

// Output e's window (its flat start from the table), lane by lane: `base` the plane's position 0
// in x, `step` the element step between positions.
fn reduce_fractional(e: u32, base: u32, step: u32) -> Acc {
  return fractional_window(load_window_start(e), base, step);
}

// FULL_GROUPS (set by the plan where a unit holds at least 4 outputs): the unit's short last group
// is shifted back to hold four outputs of the unit, and stores only the lanes the group before it
// does not (`skip`), so the four lanes are computed unconditionally: no loop or branch around the
// taps depends on the lane count (docs/unpool-fractional.md, Performance).
override FULL_GROUPS: bool = false;

struct Group {
  // The output element of lane 0, and how many of the 4 lanes lie inside the unit (4 with
  // FULL_GROUPS); lanes below `skip` belong to the group before (FULL_GROUPS only).
  first: u32,
  lanes: u32,
  skip: u32,
  // x's offset of the unit's position 0 (channel 0 of a channels-last image).
  unit_base: u32,
  // Channel of the first output (channels-last), else 0.
  c0: u32,
}

fn group_of(i: u32) -> Group {
  let L = unit_length();
  let G = (L + 3u) / 4u;
  let u = i / G;
  let r_group = (i - u * G) * 4u;
  let r = select(r_group, min(r_group, L - 4u), FULL_GROUPS);
  let inVol = u32(params.inD * params.inH * params.inW);
  if (CHANNELS_LAST) {
    let C = u32(params.C);
    return Group(u * L + r, min(L - r, 4u), r_group - r, u * inVol * C, r % C);
  }
  return Group(u * L + r, min(L - r, 4u), r_group - r, u * inVol, 0u);
}

fn lane_result(g: Group, t: u32) -> Acc {
  if (CHANNELS_LAST) {
    let C = u32(params.C);
    return reduce_fractional(g.first + t, g.unit_base + (g.c0 + t) % C, C);
  }
  return reduce_fractional(g.first + t, g.unit_base, 1u);
}

// A full group's four lanes, each computed unconditionally (as separate values: a local array
// indexed by the lane would be spilled to memory on software adapters).
struct FullResults {
  a0: Acc,
  a1: Acc,
  a2: Acc,
  a3: Acc,
}

fn full_results(g: Group) -> FullResults {
  return FullResults(lane_result(g, 0u), lane_result(g, 1u), lane_result(g, 2u), lane_result(g, 3u));
}

// A full group's stores: the lanes from `skip` on (values; indices apart, so `main` binds none).
fn store_full(g: Group, r: FullResults) {
  if (g.skip == 0u) {
    store_y(g.first, bitcast<f32>(r.a0.bits));
  }
  if (g.skip <= 1u) {
    store_y(g.first + 1u, bitcast<f32>(r.a1.bits));
  }
  if (g.skip <= 2u) {
    store_y(g.first + 2u, bitcast<f32>(r.a2.bits));
  }
  store_y(g.first + 3u, bitcast<f32>(r.a3.bits));
}

fn store_full_indices(g: Group, r: FullResults) {
  if (g.skip == 0u) {
    store_index(g.first, r.a0.index);
  }
  if (g.skip <= 1u) {
    store_index(g.first + 1u, r.a1.index);
  }
  if (g.skip <= 2u) {
    store_index(g.first + 2u, r.a2.index);
  }
  store_index(g.first + 3u, r.a3.index);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let g = group_of(i);
  if (FULL_GROUPS) {
    store_full(g, full_results(g));
    return;
  }
  for (var t = 0u; t < g.lanes; t++) {
    store_y(g.first + t, bitcast<f32>(lane_result(g, t).bits));
  }
}

@compute @workgroup_size(WG)
fn main_with_indices(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let g = group_of(i);
  if (FULL_GROUPS) {
    let r = full_results(g);
    store_full(g, r);
    store_full_indices(g, r);
    return;
  }
  for (var t = 0u; t < g.lanes; t++) {
    let acc = lane_result(g, t);
    store_y(g.first + t, bitcast<f32>(acc.bits));
    store_index(g.first + t, acc.index);
  }
}

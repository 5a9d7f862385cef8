// Fractional max pooling forward, its own mapping (docs/unpool-fractional.md, Performance): one
// invocation per 4 consecutive output elements in memory order inside one split unit (a plane in
// channel-first order, a channels-last image), F4_GROUPS = ceil(unit length / 4) of them per unit.
// Each output reads its window's flat start from the output-shaped table (window_starts,
// io-forward-fractional-f32.wgsl) and scans the kD × kH × kW taps from there by additions: no
// output coordinates, no division of the start. Taps go to max pooling's reduction (reduce-max.wgsl)
// in scan order with their flat positions as indices. Every tap is real (the host checked
// start + k <= in on every axis). K_D, K_H, K_W: the kernel when fixed at pipeline creation (so
// the scan unrolls), 0 to read it from the uniform.
// Requires: nd-layout.wgsl, reduce-max.wgsl, io-forward-fractional-f32.wgsl, linear_invocation.
override K_D: i32 = 0;
override K_H: i32 = 0;
override K_W: i32 = 0;

fn unit_length() -> u32 {
  let outVol = u32(params.outD * params.outH * params.outW);
  return select(outVol, outVol * u32(params.C), CHANNELS_LAST);
}

// The offset of x's element `start` (flat in its volume) for output e's plane, lane by lane:
// `base` the plane's position 0 in x, `step` the element step between positions.
fn reduce_fractional(e: u32, base: u32, step: u32) -> Acc {
  let start = load_window_start(e);
  let kd_n = select(params.kD, K_D, K_D > 0);
  let kh_n = select(params.kH, K_H, K_H > 0);
  let kw_n = select(params.kW, K_W, K_W > 0);
  let W = params.inW;
  let HW = params.inH * W;
  var acc = acc_init();
  var pos_d = start;
  for (var kd = 0; kd < kd_n; kd++) {
    var pos_h = pos_d;
    for (var kh = 0; kh < kh_n; kh++) {
      for (var kw = 0; kw < kw_n; kw++) {
        let pos = pos_h + kw;
        acc_add(&acc, load_x(base + u32(pos) * step), pos);
      }
      pos_h += W;
    }
    pos_d += HW;
  }
  return acc;
}

struct Group {
  // The first output element of the group, and how many of its 4 lie inside the unit.
  first: u32,
  lanes: u32,
  // x's offset of the unit's position 0 (channel 0 of a channels-last image).
  unit_base: u32,
  // Channel of the first output (channels-last), else 0.
  c0: u32,
}

fn group_of(i: u32) -> Group {
  let L = unit_length();
  let G = (L + 3u) / 4u;
  let u = i / G;
  let r = (i - u * G) * 4u;
  let inVol = u32(params.inD * params.inH * params.inW);
  if (CHANNELS_LAST) {
    let C = u32(params.C);
    return Group(u * L + r, min(L - r, 4u), u * inVol * C, r % C);
  }
  return Group(u * L + r, min(L - r, 4u), u * inVol, 0u);
}

fn lane_result(g: Group, t: u32) -> Acc {
  if (CHANNELS_LAST) {
    let C = u32(params.C);
    return reduce_fractional(g.first + t, g.unit_base + (g.c0 + t) % C, C);
  }
  return reduce_fractional(g.first + t, g.unit_base, 1u);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let g = group_of(i);
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
  for (var t = 0u; t < g.lanes; t++) {
    let acc = lane_result(g, t);
    store_y(g.first + t, bitcast<f32>(acc.bits));
    store_index(g.first + t, acc.index);
  }
}

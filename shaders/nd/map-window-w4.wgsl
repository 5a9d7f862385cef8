// Forward mapping of the N-d kernels for channel-first tensors: one invocation per group of 4
// consecutive outputs along the last axis (W) of one output row (the last group of a row may hold
// fewer). The coordinates, the real taps of the first two axes (the same for the four outputs) and
// the row offsets are worked out once; each lane then scans its own real columns, in the scalar
// mapping's order (first axis outermost: scan order = index order), and hands every tap to the
// reduction, so each lane's result is map-window.wgsl's bit for bit. Overlapping taps are loaded
// once per lane that holds them (as in plane/plane-w4-lanes.wgsl). The domain counts groups, ceil(outW / 4)
// per output row, so a split keeps output rows as its unit. Real taps only: a reduction that visits
// the declared padding (max with zero padding) runs map-window.wgsl.
//
// The full-row form (W4_KW > 0, w4-full-lane.wgsl; docs/nd-selection.md "Full rows"): the plan
// has checked that every window of the row holds all its taps along W (or, for max, that clamped
// taps repeat a window's own edge column) and that the row has at least 4 outputs. The group's taps
// along W are then straight-line code at constant offsets from lane 0's window (w4_row_full), and
// a row's short last group is shifted back to hold four real outputs, storing only the lanes the
// group before it does not (W4Windows.first): no lane is idle and no branch depends on the lane
// count. Same taps, same order, same bits; 1.5-2.4x faster on SwiftShader, 1.2-2.0x on llvmpipe.
// Requires: nd-layout.wgsl, window_taps (window-*.wgsl); a reduction (Acc, acc_init, acc_add,
// acc_value); w4-full-lane.wgsl; w4-store.wgsl; io-forward-f32.wgsl; linear_invocation.

// W4_UPTO_KW > 0 (adaptive max pooling, docs/adaptive-pooling.md): the widest window along W. Each
// lane reads W4_UPTO_KW taps from its window's start as straight-line code, a tap past the
// window's last column reading that column again: a repeat the max fold ignores (as W4_CLAMP).
// Windows of different widths then run the same code.
override W4_UPTO_KW: i32 = 0;

fn w4_upto_tap(acc: ptr<function, Acc>, row: u32, row_pos: i32, w: i32, last: i32) {
  let c = min(w, last);
  acc_add(acc, load_x(row + u32(c)), row_pos + c);
}

fn w4_lane_upto(acc: ptr<function, Acc>, row: u32, row_pos: i32, taps: WindowTaps) {
  let w = taps.start.z;
  // A lane past the row's end (a short last group) reads the row's last column: in bounds, not stored.
  let last = min(w + taps.real_hi.z - 1, in_size().z - 1);
  w4_upto_tap(acc, row, row_pos, w, last);
  if (W4_UPTO_KW > 1) {
    w4_upto_tap(acc, row, row_pos, w + 1, last);
  }
  if (W4_UPTO_KW > 2) {
    w4_upto_tap(acc, row, row_pos, w + 2, last);
  }
  if (W4_UPTO_KW > 3) {
    w4_upto_tap(acc, row, row_pos, w + 3, last);
  }
  for (var t = 4; t < W4_UPTO_KW; t++) {
    w4_upto_tap(acc, row, row_pos, w + t, last);
  }
}

fn w4_lane(acc: ptr<function, Acc>, row: u32, row_pos: i32, taps: WindowTaps, dw: i32) {
  if (W4_UPTO_KW > 0) {
    w4_lane_upto(acc, row, row_pos, taps);
    return;
  }
  var w = taps.start.z + taps.real_lo.z * dw;
  for (var kw = taps.real_lo.z; kw < taps.real_hi.z; kw++) {
    acc_add(acc, load_x(row + u32(w)), row_pos + w);
    w += dw;
  }
}

fn w4_windows(i: u32) -> W4Windows {
  let groups = (params.outW + 3) / 4;
  let j = i32(i);
  // The group's first output; the full-row form shifts a short last group back (first lanes
  // skipped on store).
  let first_out = (j % groups) * 4;
  let ow = select(first_out, min(first_out, params.outW - 4), W4_KW > 0);
  let r = j / groups;
  let oh = r % params.outH;
  let r2 = r / params.outH;
  let od = r2 % params.outD;
  let plane = r2 / params.outD;
  let size = in_size();
  let d = dilations();
  let t0 = window_taps(NdCoord(0, 0, vec3i(od, oh, ow)));
  let t1 = window_taps(NdCoord(0, 0, vec3i(od, oh, ow + 1)));
  let t2 = window_taps(NdCoord(0, 0, vec3i(od, oh, ow + 2)));
  let t3 = window_taps(NdCoord(0, 0, vec3i(od, oh, ow + 3)));
  var a0 = acc_init();
  var a1 = acc_init();
  var a2 = acc_init();
  var a3 = acc_init();
  let volume = u32(plane) * u32(size.x * size.y * size.z);
  var pd = t0.start.x + t0.real_lo.x * d.x;
  for (var kd = t0.real_lo.x; kd < t0.real_hi.x; kd++) {
    var ph = t0.start.y + t0.real_lo.y * d.y;
    for (var kh = t0.real_lo.y; kh < t0.real_hi.y; kh++) {
      let row_pos = (pd * size.y + ph) * size.z;
      let row = volume + u32(row_pos);
      if (W4_KW > 0) {
        w4_row_full(&a0, &a1, &a2, &a3, row, row_pos, t0.start.z);
      } else {
        w4_lane(&a0, row, row_pos, t0, d.z);
        w4_lane(&a1, row, row_pos, t1, d.z);
        w4_lane(&a2, row, row_pos, t2, d.z);
        w4_lane(&a3, row, row_pos, t3, d.z);
      }
      ph += d.y;
    }
    pd += d.x;
  }
  let out = u32(((plane * params.outD + od) * params.outH + oh) * params.outW + ow);
  return W4Windows(a0, a1, a2, a3, t0, t1, t2, t3, out, first_out - ow, min(params.outW - ow, 4));
}

@compute @workgroup_size(WG)
fn main_w4(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let g = w4_windows(i);
  store_w4_values(g);
}

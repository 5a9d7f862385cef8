// Forward mapping of the plane kernels for NCHW, "W4": one invocation per group of four
// consecutive outputs of an output row (w4-rows.wgsl: domain, coordinates, the row's tail group).
// The group's windows (plane_window_taps per lane) share their rows; how the lanes' taps are read
// is a W4 scan file's choice (plane-w4-lanes.wgsl: each lane scans its own columns;
// plane-w4-shared.wgsl: each column is loaded once for all the lanes that hold it). Either way
// every lane gets exactly its window's real taps in its own scan order, so each lane's result is
// map-plane.wgsl's bit for bit. Stores are scalar: a tail group writes only its real outputs.
// Real taps only: a reduction that visits the declared padding runs map-plane.wgsl. The full-row
// form (W4_KW > 0, nd/w4-full-lane.wgsl): every window of the row holds all its taps along W (or a
// max clamps them), the lanes' taps run as straight-line code instead of the scan file's loops, and
// a row's short last group is shifted
// back to hold four real outputs, storing only the lanes the group before it does not
// (W4Windows.first), as nd/map-window-w4.wgsl does.
// Requires: pool-params.wgsl, w4-rows.wgsl, plane-layout.wgsl (plane_window_taps), a reduction (Acc, acc_init,
// acc_add, acc_value), nd/w4-full-lane.wgsl, a W4 scan file (plane_w4_scan), nd/w4-store.wgsl,
// io-forward-f32.wgsl.

// The four lanes' windows and how many of the four outputs are real.
struct PlaneW4Windows {
  t0: WindowTaps,
  t1: WindowTaps,
  t2: WindowTaps,
  t3: WindowTaps,
  lanes: i32,
}

fn plane_w4(i: u32) -> W4Windows {
  let group = w4_group_coords(i);
  let o = vec4i(group.xyz, select(group.w, min(group.w, params.outW - 4), W4_KW > 0));
  let win = PlaneW4Windows(plane_window_taps(o.z, o.w), plane_window_taps(o.z, o.w + 1), plane_window_taps(o.z, o.w + 2), plane_window_taps(o.z, o.w + 3), w4_lanes(o.w));
  var a0 = acc_init();
  var a1 = acc_init();
  var a2 = acc_init();
  var a3 = acc_init();
  let dh = window_dh();
  for (var kh = win.t0.real_lo.y; kh < win.t0.real_hi.y; kh++) {
    let h = win.t0.start.y + kh * dh;
    let row = tensor_offset(o.x, o.y, h, 0, params.H, params.W);
    if (W4_KW > 0) {
      w4_row_full(&a0, &a1, &a2, &a3, row, h * params.W, win.t0.start.z);
    } else {
      plane_w4_scan(&a0, &a1, &a2, &a3, win, row, h * params.W);
    }
  }
  return W4Windows(a0, a1, a2, a3, win.t0, win.t1, win.t2, win.t3, w4_output_offset(o), group.w - o.w, win.lanes);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let g = plane_w4(i);
  store_w4_values(g);
}

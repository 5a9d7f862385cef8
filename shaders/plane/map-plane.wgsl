// Forward mapping of the plane kernels: one invocation per output element of an [N, C, H, W]
// tensor (NCHW, or NHWC), which scans its window (plane_window_taps) row by row, scan order = index
// order, and hands every tap with its index h·W + w to the reduction (nd/reduce-*.wgsl, the same
// files as the N-d kernels'). Real taps only, offsets and positions advancing by additions (no
// bounds test and no offset multiplication per tap), unless the reduction visits the declared
// padding (max with zero padding): then each run of padded taps reaches acc_pad once, in its
// place in scan order. The reductions keep acc_pad idempotent (two padded taps in a row act as
// one), so a window costs its real elements however wide its padding.
// Requires: pool-params.wgsl, plane-window.wgsl, a reduction (Acc, acc_init, acc_add, acc_pad,
// visits_padding, acc_value), io-forward-f32.wgsl.

// Element steps between neighbouring rows (x) and columns (y) of one (n, c) plane.
fn plane_steps() -> vec2u {
  let column = select(1u, u32(params.C), NHWC);
  return vec2u(column * u32(params.W), column);
}

// The real taps of one window row: element `at` of x and index `pos` are its first real tap's.
fn plane_reduce_row(acc: ptr<function, Acc>, at: u32, pos: i32, taps: WindowTaps) {
  let dw = window_dw();
  let step = u32(dw) * plane_steps().y;
  var a = at;
  var p = pos;
  for (var kw = taps.real_lo.z; kw < taps.real_hi.z; kw++) {
    acc_add(acc, load_x(a), p);
    a += step;
    p += dw;
  }
}

// Element and index of the window's first real tap (meaningless when it has none: then no row runs).
fn plane_first_tap(taps: WindowTaps, n: i32, c: i32) -> vec2i {
  let h = taps.start.y + taps.real_lo.y * window_dh();
  let w = taps.start.z + taps.real_lo.z * window_dw();
  return vec2i(i32(tensor_offset(n, c, h, w, params.H, params.W)), h * params.W + w);
}

fn plane_reduce_real(taps: WindowTaps, n: i32, c: i32) -> Acc {
  let first = plane_first_tap(taps, n, c);
  let dh = window_dh();
  let row_step = u32(dh) * plane_steps().x;
  var acc = acc_init();
  var at = u32(first.x);
  var pos = first.y;
  for (var kh = taps.real_lo.y; kh < taps.real_hi.y; kh++) {
    plane_reduce_row(&acc, at, pos, taps);
    at += row_step;
    pos += dh * params.W;
  }
  return acc;
}

// Every declared tap in scan order, a run of padding as one acc_pad: the rows above the input, then
// per real row the padding left of its real columns, the columns, the padding right of them, then
// the rows below. A window with no real element is one run of padding (if it declares any tap).
fn plane_reduce_declared(taps: WindowTaps, n: i32, c: i32) -> Acc {
  var acc = acc_init();
  let declared = all(taps.declared_lo < taps.declared_hi);
  if (!all(taps.real_lo < taps.real_hi)) {
    if (declared) {
      acc_pad(&acc);
    }
    return acc;
  }
  let first = plane_first_tap(taps, n, c);
  let dh = window_dh();
  let row_step = u32(dh) * plane_steps().x;
  let left = taps.declared_lo.z < taps.real_lo.z;
  let right = taps.real_hi.z < taps.declared_hi.z;
  if (taps.declared_lo.y < taps.real_lo.y) {
    acc_pad(&acc);
  }
  var at = u32(first.x);
  var pos = first.y;
  for (var kh = taps.real_lo.y; kh < taps.real_hi.y; kh++) {
    if (left) {
      acc_pad(&acc);
    }
    plane_reduce_row(&acc, at, pos, taps);
    if (right) {
      acc_pad(&acc);
    }
    at += row_step;
    pos += dh * params.W;
  }
  if (taps.real_hi.y < taps.declared_hi.y) {
    acc_pad(&acc);
  }
  return acc;
}

fn plane_reduce(taps: WindowTaps, n: i32, c: i32) -> Acc {
  if (visits_padding()) {
    return plane_reduce_declared(taps, n, c);
  }
  return plane_reduce_real(taps, n, c);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = tensor_coords(i, params.outH, params.outW);
  let taps = plane_window_taps(o.z, o.w);
  store_y(i, acc_value(plane_reduce(taps, o.x, o.y), taps));
}

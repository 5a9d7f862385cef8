// Forward mapping of the N-d kernels: one invocation per output element, which scans its window
// (first axis outermost, scan order = index order) and hands every tap to the reduction.
// Only the real taps are visited unless the reduction visits the declared padding (max with zero
// padding), so a window costs its real elements however large the padding. On the common path
// (real taps only) offsets and positions advance by additions: no bounds test and no offset
// multiplication per tap.
// Requires: nd-layout.wgsl; a reduction (reduce-*.wgsl); io-forward-*.wgsl; linear_invocation.

// Element step between neighbouring positions of one (n, c) volume, and the offset of its position 0.
fn position_step() -> u32 {
  return select(1u, u32(params.C), CHANNELS_LAST);
}

fn volume_base(n: i32, c: i32, size: vec3i) -> u32 {
  return nd_offset(n, c, vec3i(0), size);
}

// The real taps only, in scan order.
fn reduce_real_taps(taps: WindowTaps, n: i32, c: i32) -> Acc {
  let d = dilations();
  let size = in_size();
  let step = position_step();
  let base = volume_base(n, c, size);
  // Position steps of one tap along each axis.
  let tap_step = vec3i(d.x * size.y * size.z, d.y * size.z, d.z);
  let first = taps.start + taps.real_lo * d;
  var acc = acc_init();
  var pos_d = volume_position(first, size);
  for (var kd = taps.real_lo.x; kd < taps.real_hi.x; kd++) {
    var pos_h = pos_d;
    for (var kh = taps.real_lo.y; kh < taps.real_hi.y; kh++) {
      var pos = pos_h;
      for (var kw = taps.real_lo.z; kw < taps.real_hi.z; kw++) {
        acc_add(&acc, load_x(base + u32(pos) * step), pos);
        pos += tap_step.z;
      }
      pos_h += tap_step.y;
    }
    pos_d += tap_step.x;
  }
  return acc;
}

// Every declared tap (input or declared padding), in scan order; padded taps go to acc_pad.
fn reduce_declared_taps(taps: WindowTaps, n: i32, c: i32) -> Acc {
  let d = dilations();
  let size = in_size();
  var acc = acc_init();
  for (var kd = taps.declared_lo.x; kd < taps.declared_hi.x; kd++) {
    let pd = taps.start.x + kd * d.x;
    for (var kh = taps.declared_lo.y; kh < taps.declared_hi.y; kh++) {
      let ph = taps.start.y + kh * d.y;
      for (var kw = taps.declared_lo.z; kw < taps.declared_hi.z; kw++) {
        let p = vec3i(pd, ph, taps.start.z + kw * d.z);
        let t = vec3i(kd, kh, kw);
        if (all(t >= taps.real_lo) && all(t < taps.real_hi)) {
          acc_add(&acc, load_x(nd_offset(n, c, p, size)), volume_position(p, size));
        } else {
          acc_pad(&acc);
        }
      }
    }
  }
  return acc;
}

fn reduce_window(taps: WindowTaps, n: i32, c: i32) -> Acc {
  if (visits_padding()) {
    return reduce_declared_taps(taps, n, c);
  }
  return reduce_real_taps(taps, n, c);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = nd_coords(i, out_size());
  let taps = window_taps(e);
  store_y(i, acc_value(reduce_window(taps, e.n, e.c), taps));
}

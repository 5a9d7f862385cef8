// Gather backward mapping of the N-d kernels, by stride cells: one invocation per output element o,
// which writes every dx element of o's stride cell, positions [o·s − pb, o·s − pb + s) per axis (the
// last output of an axis also takes the rest of the axis, past its window's start). The cells tile
// the input, so every dx element has exactly one writer (no clear, deterministic). Element q of the
// cell is reached by the outputs o' ≤ o with o'·s − pb + (k−1)·d ≥ q (walked down from o, so no
// division), and with dilation d > 1 only by those on the grid, (q + pb − o'·s) % d == 0. It gets
// the sum of their window_gradient (grad-*.wgsl: max compares the output's index with q's position,
// average and LP send a share) passed through gathered_dx once. The coordinates are decoded once
// per cell rather than per element, and no output is tested that cannot reach q: integer division,
// which software adapters emulate, was the cost of a per-element gather (docs/nd-selection.md,
// docs/lp-pooling.md). The summation order is fixed: o, o − 1, … per axis, d outer, w inner.
// Requires: nd-layout.wgsl; a gradient (window_gradient, gathered_dx); an io-gather-*.wgsl file.

// Whether any axis is dilated: without dilation every walked output reaches q and the modulo test
// is compiled out.
override GATHER_DILATED: bool = true;

// Positions [lo, hi) of output o's cell along one axis (clamped to the input).
fn stride_cell(o: i32, pb: i32, s: i32, size: i32, out: i32) -> vec2i {
  let b = o * s - pb;
  return vec2i(max(b, 0), select(min(b + s, size), size, o == out - 1));
}

// Whether output o (already in reach) has a tap on q along an axis with dilation d.
fn on_tap_grid(q: i32, pb: i32, o: i32, d: i32, s: i32) -> bool {
  if (!GATHER_DILATED) {
    return true;
  }
  return (q + pb - o * s) % d == 0;
}

@compute @workgroup_size(WG)
fn gather(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let size = in_size();
  let osize = out_size();
  let e = nd_coords(i, osize);
  let s = strides();
  let d = dilations();
  let pb = pad_begin();
  // The last tap's position relative to the window start, per axis.
  let ext = (kernel_size() - vec3i(1)) * d;
  let cd = stride_cell(e.p.x, pb.x, s.x, size.x, osize.x);
  let ch = stride_cell(e.p.y, pb.y, s.y, size.y, osize.y);
  let cw = stride_cell(e.p.z, pb.z, s.z, size.z, osize.z);
  let step = select(1u, u32(params.C), CHANNELS_LAST);
  for (var qd = cd.x; qd < cd.y; qd++) {
    for (var qh = ch.x; qh < ch.y; qh++) {
      var xi = nd_offset(e.n, e.c, vec3i(qd, qh, cw.x), size);
      for (var qw = cw.x; qw < cw.y; qw++) {
        let pos = volume_position(vec3i(qd, qh, qw), size);
        var sum = 0.0;
        for (var od = e.p.x; od >= 0 && od * s.x - pb.x + ext.x >= qd; od--) {
          if (!on_tap_grid(qd, pb.x, od, d.x, s.x)) {
            continue;
          }
          for (var oh = e.p.y; oh >= 0 && oh * s.y - pb.y + ext.y >= qh; oh--) {
            if (!on_tap_grid(qh, pb.y, oh, d.y, s.y)) {
              continue;
            }
            var oi = nd_offset(e.n, e.c, vec3i(od, oh, e.p.z), osize);
            for (var ow = e.p.z; ow >= 0 && ow * s.z - pb.z + ext.z >= qw; ow--) {
              if (on_tap_grid(qw, pb.z, ow, d.z, s.z)) {
                sum += window_gradient(oi, NdCoord(e.n, e.c, vec3i(od, oh, ow)), pos);
              }
              oi -= step;
            }
          }
        }
        store_dx(xi, gathered_dx(xi, sum));
        xi += step;
      }
    }
  }
}

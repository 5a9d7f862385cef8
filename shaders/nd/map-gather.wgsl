// Gather backward mapping of the N-d kernels: one invocation per dx element, summing what every
// output whose window has a tap on it sends (the reduction's window_gradient). Per axis, output o
// has a tap on position q when q + pb - t·d = o·s for a tap t in [0, k): integer arithmetic with a
// non-negative numerator, never a float test. Deterministic: each dx element has one writer and a
// fixed summation order.
// Requires: nd-layout.wgsl, a window file; a backward reduction (window_gradient, gathered_dx);
// io-gather-*.wgsl.

// Outputs along one axis reached from position q: for taps t = 0.. the output (q + pb - t·d) / s
// where that divides; returned as the first tap and output range is not contiguous with dilation,
// so the caller loops over taps.
fn reached_output(q: i32, pb: i32, t: i32, d: i32, s: i32, out: i32) -> i32 {
  let num = q + pb - t * d;
  if (num < 0 || num % s != 0) {
    return -1;
  }
  let o = num / s;
  return select(-1, o, o < out);
}

@compute @workgroup_size(WG)
fn gather(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let size = in_size();
  let osize = out_size();
  let e = nd_coords(i, size);
  let pos = volume_position(e.p, size);
  let k = kernel_size();
  let d = dilations();
  let s = strides();
  var sum = 0.0;
  for (var td = 0; td < k.x; td++) {
    let od = reached_output(e.p.x, params.pbD, td, d.x, s.x, osize.x);
    if (od < 0) {
      continue;
    }
    for (var th = 0; th < k.y; th++) {
      let oh = reached_output(e.p.y, params.pbH, th, d.y, s.y, osize.y);
      if (oh < 0) {
        continue;
      }
      for (var tw = 0; tw < k.z; tw++) {
        let ow = reached_output(e.p.z, params.pbW, tw, d.z, s.z, osize.z);
        if (ow < 0) {
          continue;
        }
        let o = vec3i(od, oh, ow);
        sum += window_gradient(nd_offset(e.n, e.c, o, osize), NdCoord(e.n, e.c, o), pos);
      }
    }
  }
  store_dx(i, gathered_dx(i, sum));
}

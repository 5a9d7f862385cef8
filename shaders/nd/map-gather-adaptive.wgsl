// Gather backward mapping of the adaptive ops: one invocation per dx element, summing what every
// output whose adaptive window holds it sends (the reduction's window_gradient). Along an axis of
// input size I and output size O, window o holds position i exactly when o lies in
// [floor(i·O/I), ceil((i+1)·O/I)): a contiguous range found by integer arithmetic, never a test per
// output. Deterministic: each dx element has one writer and a fixed summation order (first axis
// outermost). The host guarantees (in + 1)·(out + 1) ≤ 2^31 − 1 per axis (no i32 overflow).
// Requires: nd-layout.wgsl, window-adaptive.wgsl; a backward reduction (window_gradient,
// gathered_dx: grad-max.wgsl or grad-avg.wgsl); io-gather-*.wgsl.

// The outputs [first, last) along one axis whose windows hold position q.
fn reaching_outputs(q: i32, size: i32, osize: i32) -> vec2i {
  return vec2i((q * osize) / size, ((q + 1) * osize + size - 1) / size);
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
  let rd = reaching_outputs(e.p.x, size.x, osize.x);
  let rh = reaching_outputs(e.p.y, size.y, osize.y);
  let rw = reaching_outputs(e.p.z, size.z, osize.z);
  var sum = 0.0;
  for (var od = rd.x; od < rd.y; od++) {
    for (var oh = rh.x; oh < rh.y; oh++) {
      for (var ow = rw.x; ow < rw.y; ow++) {
        let o = vec3i(od, oh, ow);
        sum += window_gradient(nd_offset(e.n, e.c, o, osize), NdCoord(e.n, e.c, o), pos);
      }
    }
  }
  store_dx(i, gathered_dx(i, sum));
}

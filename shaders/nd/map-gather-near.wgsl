// The near gather of the N-d kernels (ndGatherKernel in src/kernels/nd-pool.ts): no dilation and
// (k − 1) < 2·s on every axis, so an element of output o's stride cell (map-gather-cells.wgsl) is
// reached by o and at most o − 1 along each axis: at most 8 outputs, the corners of the 2×2×2 block
// ending at o. What each of them sends is loaded once per cell (sent_by), and every element of the
// cell adds the ones that reach it with selects, without a loop per output: software adapters run
// their lanes in lockstep and pay for every loop iteration and every emulated integer division, and
// the general gather walks three loops of outputs per element. Same sums as `gather`, in the same
// order (o before o − 1 on each axis, d outer, w inner), so the two are bit-identical.
// Requires: nd-layout.wgsl; map-gather-cells.wgsl (stride_cell); a gradient with sent_by,
// nothing_sent, sent_to, gathered_dx (grad-max.wgsl, grad-avg.wgsl); an io-gather-*.wgsl file.

// What output e + back sends (back ≤ 0 per axis), or nothing when a coordinate is before the first
// output; `oi` is its offset.
fn sent_if(oi: u32, e: NdCoord, back: vec3i) -> Sent {
  let p = e.p + back;
  if (any(p < vec3i(0))) {
    return nothing_sent();
  }
  return sent_by(oi, NdCoord(e.n, e.c, p));
}

// What one of the 8 outputs sends to the element at `pos`, where `reaches` says whether it does.
fn sent_if_reached(s: Sent, reaches: bool, pos: i32) -> f32 {
  return select(0.0, sent_to(s, pos), reaches);
}

@compute @workgroup_size(WG)
fn gather_near(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let size = in_size();
  let osize = out_size();
  let e = nd_coords(i, osize);
  let s = strides();
  let pb = pad_begin();
  let step = select(1u, u32(params.C), CHANNELS_LAST);
  // Offsets between neighbouring outputs along w, h and d.
  let sw = step;
  let sh = step * u32(osize.z);
  let sd = sh * u32(osize.y);
  // s_dhw: the output back d along D, h along H, w along W (1 = the one before).
  let s000 = sent_if(i, e, vec3i(0, 0, 0));
  let s001 = sent_if(i - sw, e, vec3i(0, 0, -1));
  let s010 = sent_if(i - sh, e, vec3i(0, -1, 0));
  let s011 = sent_if(i - sh - sw, e, vec3i(0, -1, -1));
  let s100 = sent_if(i - sd, e, vec3i(-1, 0, 0));
  let s101 = sent_if(i - sd - sw, e, vec3i(-1, 0, -1));
  let s110 = sent_if(i - sd - sh, e, vec3i(-1, -1, 0));
  let s111 = sent_if(i - sd - sh - sw, e, vec3i(-1, -1, -1));
  let cd = stride_cell(e.p.x, pb.x, s.x, size.x, osize.x);
  let ch = stride_cell(e.p.y, pb.y, s.y, size.y, osize.y);
  let cw = stride_cell(e.p.z, pb.z, s.z, size.z, osize.z);
  // The last position o's window covers, per axis; o − 1's is s before it.
  let last = e.p * s - pb + kernel_size() - vec3i(1);
  for (var qd = cd.x; qd < cd.y; qd++) {
    let d0 = qd <= last.x;
    let d1 = qd <= last.x - s.x;
    for (var qh = ch.x; qh < ch.y; qh++) {
      let h0 = qh <= last.y;
      let h1 = qh <= last.y - s.y;
      var xi = nd_offset(e.n, e.c, vec3i(qd, qh, cw.x), size);
      var pos = volume_position(vec3i(qd, qh, cw.x), size);
      for (var qw = cw.x; qw < cw.y; qw++) {
        let w0 = qw <= last.z;
        let w1 = qw <= last.z - s.z;
        // From +0, as the reference's zeroed sum (so a lone -0 share gives +0, and the unreached
        // outputs' +0 terms change nothing).
        var sum = 0.0;
        sum += sent_if_reached(s000, d0 && h0 && w0, pos);
        sum += sent_if_reached(s001, d0 && h0 && w1, pos);
        sum += sent_if_reached(s010, d0 && h1 && w0, pos);
        sum += sent_if_reached(s011, d0 && h1 && w1, pos);
        sum += sent_if_reached(s100, d1 && h0 && w0, pos);
        sum += sent_if_reached(s101, d1 && h0 && w1, pos);
        sum += sent_if_reached(s110, d1 && h1 && w0, pos);
        sum += sent_if_reached(s111, d1 && h1 && w1, pos);
        store_dx(xi, gathered_dx(xi, sum));
        xi += step;
        pos += 1;
      }
    }
  }
}

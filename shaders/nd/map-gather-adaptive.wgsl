// Gather backward mapping of the adaptive ops: one invocation per run of RUN dx elements along the
// last axis (w) of one (n, c, d, h) row, summing for each element what every output whose adaptive
// window holds it sends (adaptive_term: grad-adaptive-max.wgsl or grad-adaptive-avg.wgsl). Along an
// axis of input size I and output size O, window o holds position i exactly when o lies in
// [floor(i·O/I), ceil((i+1)·O/I)): a contiguous range. Along d and h it is found once per run;
// along w it advances by additions (a quotient and remainder of w·O by I), so the work per element
// is its reaching outputs, never a division. Deterministic: each dx element has one writer and a
// fixed summation order (d outermost, then h, then w: the order of one loop over the three axes);
// the run visits the (od, oh) pairs outermost, storing each element's partial sum after the first
// pair and adding to it after the others, which keeps that order term for term.
// Domain index j: channel-first ((n·C + c)·D·H + row)·runs + r; channels-last
// ((n·D·H + row)·runs + r)·C + c, row = d·H + h, runs = ceil(W / RUN). The host guarantees
// (in + 1)·(out + 1) ≤ 2^31 − 1 per axis (no i32 overflow).
// Requires: nd-layout.wgsl; adaptive_term, NEEDS_DIVISOR (grad-adaptive-*.wgsl); io-gather-adaptive-f32.wgsl.
override RUN: u32 = 8;

// The outputs [first, last) along one axis whose windows hold position q.
fn reaching_outputs(q: i32, size: i32, osize: i32) -> vec2i {
  return vec2i((q * osize) / size, ((q + 1) * osize + size - 1) / size);
}

// The size of output o's window along one axis: ceil((o+1)·I/O) − floor(o·I/O).
fn adaptive_window_size(o: i32, size: i32, osize: i32) -> i32 {
  return ((o + 1) * size + osize - 1) / osize - (o * size) / osize;
}

// (quotient, remainder) of a numerator by `den`, advanced by a numerator step given as its own
// (quotient, remainder): additions and one carry, no division.
fn advance_qr(s: vec2i, step: vec2i, den: i32) -> vec2i {
  let r = s.y + step.y;
  let carry = r >= den;
  return vec2i(s.x + step.x + select(0, 1, carry), select(r, r - den, carry));
}

@compute @workgroup_size(WG)
fn gather(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let j = params.base + linear_invocation(wid, nwg, lid);
  if (j >= params.end) {
    return;
  }
  let size = in_size();
  let osize = out_size();
  let run = i32(RUN);
  let runs = (size.z + run - 1) / run;
  let rows = size.x * size.y;
  var rest = i32(j);
  var c = 0;
  if (CHANNELS_LAST) {
    c = rest % params.C;
    rest = rest / params.C;
  }
  // One run per row (W ≤ RUN, the usual case) needs no division by the run count.
  var r = 0;
  var t = rest;
  if (runs > 1) {
    r = rest % runs;
    t = rest / runs;
  }
  let row = t % rows;
  let block = t / rows;
  var n = block;
  if (!CHANNELS_LAST) {
    c = block % params.C;
    n = block / params.C;
  }
  // A rank-1 or rank-2 op (D = 1) needs no division along d.
  var d = 0;
  var h = row;
  var rd = vec2i(0, 1);
  if (size.x > 1 || osize.x > 1) {
    d = row / size.y;
    h = row % size.y;
    rd = reaching_outputs(d, size.x, osize.x);
  }
  let w0 = r * run;
  let w1 = min(w0 + run, size.z);
  let step = select(1u, u32(params.C), CHANNELS_LAST);
  let dx0 = nd_offset(n, c, vec3i(d, h, w0), size);
  let pos0 = row * size.z + w0;
  let rh = reaching_outputs(h, size.y, osize.y);
  // Along w: the outputs [ow0, ow1) reaching the run, and the window start of ow0 as (floor,
  // remainder) of ow0·I / O, advanced by additions from one output to the next.
  let ow0 = (w0 * osize.z) / size.z;
  let ow1 = (w1 * osize.z + size.z - 1) / size.z;
  let num0 = ow0 * size.z;
  let start0 = vec2i(num0 / osize.z, num0 % osize.z);
  let start_step = vec2i(size.z / osize.z, size.z % osize.z);
  var first = true;
  for (var od = rd.x; od < rd.y; od++) {
    for (var oh = rh.x; oh < rh.y; oh++) {
      var taps_dh = 1;
      if (NEEDS_DIVISOR) {
        taps_dh = adaptive_window_size(oh, size.y, osize.y);
        if (size.x > 1 || osize.x > 1) {
          taps_dh *= adaptive_window_size(od, size.x, osize.x);
        }
      }
      let orow = nd_offset(n, c, vec3i(od, oh, 0), osize);
      var s = start0;
      // Elements [w0, covered) of the run already hold a partial sum.
      var covered = select(w1, w0, first);
      for (var ow = ow0; ow < ow1; ow++) {
        let next = advance_qr(s, start_step, osize.z);
        let ws = max(s.x, w0);
        let we = min(next.x + select(0, 1, next.y > 0), w1);
        let o = adaptive_output(orow + u32(ow) * step, (next.x + select(0, 1, next.y > 0) - s.x) * taps_dh);
        var e = dx0 + u32(ws - w0) * step;
        for (var w = ws; w < we; w++) {
          var sum = 0.0;
          if (w < covered) {
            sum = load_dx(e);
          }
          store_dx(e, sum + adaptive_term(o, pos0 + (w - w0)));
          e += step;
        }
        covered = max(covered, we);
        s = next;
      }
      first = false;
    }
  }
}

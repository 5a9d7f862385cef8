// Global max pooling (derivation eq. 3) with its argmax, as a reduction over each H*W plane.
// Three entry points, chosen by plane size on the host:
//   per_plane  one invocation scans a whole small plane;
//   chunk      one workgroup per (plane, chunk of chunkSize elements): a strided scan per invocation,
//              then a tree reduction in workgroup memory; writes one partial per chunk (pass 1),
//              or the result directly when a plane is a single chunk;
//   combine    one invocation per plane merges its chunk partials (pass 2).
// Partial results meet out of scan order, so `better` decides by value and position alone: a NaN
// beats any number and the later NaN wins; otherwise the greater value, and on a tie the earlier
// position. That is exactly what a sequential first-wins scan would pick. Index -1 means "empty".
// Values are compared as order keys and carried as bits (common.wgsl), never as floats, so
// subnormals survive any adapter; -0 and +0 are a tie, which the earlier position wins.

// Storage: io-global.wgsl's accessors.

var<workgroup> shared_values: array<u32, WG>;
var<workgroup> shared_indices: array<i32, WG>;

// Whether the pair (bits bv, position bi) beats (av, ai).
fn better(bv: u32, bi: i32, av: u32, ai: i32) -> bool {
  if (bi < 0) {
    return false;
  }
  if (ai < 0) {
    return true;
  }
  let bk = order_key(bv);
  let ak = order_key(av);
  let b_nan = is_nan_key(bk);
  let a_nan = is_nan_key(ak);
  if (b_nan || a_nan) {
    return b_nan && (!a_nan || bi > ai);
  }
  return bk > ak || (bk == ak && bi < ai);
}

// Bits of element s of plane p.
fn plane_bits(p: u32, s: u32) -> u32 {
  return bitcast<u32>(load_x(plane_offset(p, s)));
}

// The running first-wins scan: bits, kept key and index (kept_key, takes_max: common.wgsl); the
// empty scan's EMPTY_KEY makes the first position always taken (a plane of -inf points at 0).
struct Scan {
  bits: u32,
  key: i32,
  index: i32,
}

fn scan_start() -> Scan {
  return Scan(NEGATIVE_INFINITY_BITS, EMPTY_KEY, -1);
}

fn scan_take(a: ptr<function, Scan>, bits: u32, index: i32) {
  let k = order_key(bits);
  if (takes_max(k, (*a).key)) {
    *a = Scan(bits, kept_key(k), index);
  }
}

@compute @workgroup_size(WG)
fn per_plane(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = domain_invocation(wid, nwg, lid);
  if (p >= params.end) {
    return;
  }
  var best = scan_start();
  for (var s = 0u; s < params.planeSize; s++) {
    scan_take(&best, plane_bits(p, s), i32(s));
  }
  store_y(p, bitcast<f32>(best.bits));
  store_y_index(p, best.index);
}

@compute @workgroup_size(WG)
fn chunk(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  // Uniform per workgroup, so the barriers below stay in uniform control flow.
  let g = domain_workgroup(wid, nwg);
  let pk = chunk_of(g);
  let p = pk.x;
  let k = pk.y;
  let span = chunk_positions(k);
  let begin = span.x;
  let end = span.y;
  var best = scan_start();
  if (g < params.end) {
    // Each invocation sees its own positions in increasing order: a plain first-wins scan.
    for (var s = begin + lid.x; s < end; s += WG) {
      scan_take(&best, plane_bits(p, s), i32(s));
    }
  }
  shared_values[lid.x] = best.bits;
  shared_indices[lid.x] = best.index;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid.x < half) {
      let bv = shared_values[lid.x + half];
      let bi = shared_indices[lid.x + half];
      if (better(bv, bi, shared_values[lid.x], shared_indices[lid.x])) {
        shared_values[lid.x] = bv;
        shared_indices[lid.x] = bi;
      }
    }
    workgroupBarrier();
  }
  if (lid.x == 0u && g < params.end) {
    store_y(p * params.chunks + k, bitcast<f32>(shared_values[0]));
    store_y_index(p * params.chunks + k, shared_indices[0]);
  }
}

// NHWC pass 1: one invocation per (image, chunk, channel), numbered as chunk_of expects. Each scans
// its chunk's positions in order (a plain first-wins scan, no workgroup memory or barriers);
// neighbouring invocations read neighbouring channels, so loads coalesce.
@compute @workgroup_size(WG)
fn chunk_scan(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let g = domain_invocation(wid, nwg, lid);
  if (g >= params.end) {
    return;
  }
  let pk = chunk_of(g);
  let span = chunk_positions(pk.y);
  let begin = span.x;
  let end = span.y;
  var best = scan_start();
  for (var s = begin; s < end; s++) {
    scan_take(&best, plane_bits(pk.x, s), i32(s));
  }
  store_y(pk.x * params.chunks + pk.y, bitcast<f32>(best.bits));
  store_y_index(pk.x * params.chunks + pk.y, best.index);
}

@compute @workgroup_size(WG)
fn combine(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = domain_invocation(wid, nwg, lid);
  if (p >= params.end) {
    return;
  }
  var best_bits = NEGATIVE_INFINITY_BITS;
  var best_index = -1;
  for (var k = 0u; k < params.chunks; k++) {
    let v = bitcast<u32>(load_x(p * params.chunks + k));
    let i = load_x_index(p * params.chunks + k);
    if (better(v, i, best_bits, best_index)) {
      best_bits = v;
      best_index = i;
    }
  }
  store_y(p, bitcast<f32>(best_bits));
  store_y_index(p, best_index);
}

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

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> x_indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> y_indices: array<i32>;

var<workgroup> shared_values: array<f32, WG>;
var<workgroup> shared_indices: array<i32, WG>;

fn better(bv: f32, bi: i32, av: f32, ai: i32) -> bool {
  if (bi < 0) {
    return false;
  }
  if (ai < 0) {
    return true;
  }
  let b_nan = is_nan(bv);
  let a_nan = is_nan(av);
  if (b_nan || a_nan) {
    return b_nan && (!a_nan || bi > ai);
  }
  return bv > av || (bv == av && bi < ai);
}

@compute @workgroup_size(WG)
fn per_plane(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = domain_invocation(wid, nwg, lid);
  if (p >= params.end) {
    return;
  }
  var best_value = negative_infinity();
  var best_index = -1;
  for (var s = 0u; s < params.planeSize; s++) {
    let v = x[plane_offset(p, s) - params.inOffset];
    if (v > best_value || is_nan(v) || best_index < 0) {
      best_value = v;
      best_index = i32(s);
    }
  }
  y[p - params.outOffset] = best_value;
  y_indices[p - params.outOffset] = best_index;
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
  var best_value = negative_infinity();
  var best_index = -1;
  if (g < params.end) {
    for (var s = begin + lid.x; s < end; s += WG) {
      let v = x[plane_offset(p, s) - params.inOffset];
      // Each invocation sees its own positions in increasing order: a plain first-wins scan.
      if (v > best_value || is_nan(v) || best_index < 0) {
        best_value = v;
        best_index = i32(s);
      }
    }
  }
  shared_values[lid.x] = best_value;
  shared_indices[lid.x] = best_index;
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
    y[p * params.chunks + k - params.outOffset] = shared_values[0];
    y_indices[p * params.chunks + k - params.outOffset] = shared_indices[0];
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
  var best_value = negative_infinity();
  var best_index = -1;
  for (var s = begin; s < end; s++) {
    let v = x[plane_offset(pk.x, s) - params.inOffset];
    if (v > best_value || is_nan(v) || best_index < 0) {
      best_value = v;
      best_index = i32(s);
    }
  }
  y[pk.x * params.chunks + pk.y - params.outOffset] = best_value;
  y_indices[pk.x * params.chunks + pk.y - params.outOffset] = best_index;
}

@compute @workgroup_size(WG)
fn combine(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = domain_invocation(wid, nwg, lid);
  if (p >= params.end) {
    return;
  }
  var best_value = negative_infinity();
  var best_index = -1;
  for (var k = 0u; k < params.chunks; k++) {
    let v = x[p * params.chunks + k - params.inOffset];
    let i = x_indices[p * params.chunks + k - params.inOffset];
    if (better(v, i, best_value, best_index)) {
      best_value = v;
      best_index = i;
    }
  }
  y[p - params.outOffset] = best_value;
  y_indices[p - params.outOffset] = best_index;
}

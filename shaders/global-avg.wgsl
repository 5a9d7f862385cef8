// Global average pooling (derivation eq. 4) as a sum over each H*W plane, divided by H*W.
// Same thread mapping as global-max.wgsl: per_plane for small planes; chunk (one workgroup per
// plane chunk, strided sums then a fixed-order tree in workgroup memory) writing either partial
// sums (pass 1) or, when a plane is one chunk, the mean; combine adds a plane's partials in chunk
// order (pass 2). Every order is fixed, so results are the same run to run.

// Storage: io-global.wgsl's accessors.

var<workgroup> shared_sums: array<f32, WG>;

@compute @workgroup_size(WG)
fn per_plane(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = domain_invocation(wid, nwg, lid);
  if (p >= params.end) {
    return;
  }
  var sum = 0.0;
  for (var s = 0u; s < params.planeSize; s++) {
    sum += load_x(plane_offset(p, s));
  }
  store_y(p, sum / f32(params.planeSize));
}

@compute @workgroup_size(WG)
fn chunk(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let g = domain_workgroup(wid, nwg);
  let pk = chunk_of(g);
  let p = pk.x;
  let k = pk.y;
  let span = chunk_positions(k);
  let begin = span.x;
  let end = span.y;
  var sum = 0.0;
  if (g < params.end) {
    for (var s = begin + lid.x; s < end; s += WG) {
      sum += load_x(plane_offset(p, s));
    }
  }
  shared_sums[lid.x] = sum;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid.x < half) {
      shared_sums[lid.x] += shared_sums[lid.x + half];
    }
    workgroupBarrier();
  }
  if (lid.x == 0u && g < params.end) {
    // A single-chunk plane is finished here; otherwise this is a partial sum for combine.
    store_y(p * params.chunks + k, select(shared_sums[0], shared_sums[0] / f32(params.planeSize), params.chunks == 1u));
  }
}

// NHWC pass 1: one invocation per (image, chunk, channel), numbered as chunk_of expects. Each sums
// its chunk's positions in order (no workgroup memory or barriers); neighbouring invocations read
// neighbouring channels, so loads coalesce.
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
  var sum = 0.0;
  for (var s = begin; s < end; s++) {
    sum += load_x(plane_offset(pk.x, s));
  }
  // A single-chunk plane is finished here; otherwise this is a partial sum for combine.
  store_y(pk.x * params.chunks + pk.y, select(sum, sum / f32(params.planeSize), params.chunks == 1u));
}

@compute @workgroup_size(WG)
fn combine(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = domain_invocation(wid, nwg, lid);
  if (p >= params.end) {
    return;
  }
  var sum = 0.0;
  for (var k = 0u; k < params.chunks; k++) {
    sum += load_x(p * params.chunks + k);
  }
  store_y(p, sum / f32(params.planeSize));
}

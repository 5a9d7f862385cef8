// The thread mappings of global pooling (derivation eq. 3-4): a reduction of each plane (N·C planes
// of planeSize positions, plane_offset in either layout) by a partial of the reduction
// (part-max.wgsl, part-avg.wgsl). Entry points, chosen by plane size and adapter on the host
// (src/kernels/global-pool.ts, docs/global-selection.md):
//   per_plane   one invocation scans a whole small plane;
//   chunk       one workgroup per (plane, chunk of chunkSize positions): a strided scan per
//               invocation, then a tree of part_merge in workgroup memory (pass 1); writes one
//               partial per chunk, or the result directly when a plane is a single chunk;
//   chunk_scan  one invocation per (plane, chunk), numbered as chunk_of expects: a plain scan, no
//               workgroup memory or barrier (NHWC neighbours read neighbouring channels);
//   combine     one invocation per plane merges its chunk partials in chunk order (pass 2).
// The subgroup form of pass 1 is the reduction's own (chunk-subgroup-*.wgsl): the subgroup
// operations differ by reduction. Every merge order here is fixed, so results repeat run to run.
// Requires: plane-params.wgsl; Part, part_empty, part_take, part_merge, load_part, store_part (a
// part-*.wgsl file); load_x (io-global.wgsl).

var<workgroup> shared_parts: array<Part, WG>;

// Positions begin, begin + step, … below end of plane p, in increasing order: a plain scan.
fn scan_plane(p: u32, begin: u32, end: u32, step: u32) -> Part {
  var a = part_empty();
  for (var s = begin; s < end; s += step) {
    part_take(&a, load_x(plane_offset(p, s)), i32(s));
  }
  return a;
}

@compute @workgroup_size(WG)
fn per_plane(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = domain_invocation(wid, nwg, lid);
  if (p >= params.end) {
    return;
  }
  store_part(p, scan_plane(p, 0u, params.planeSize, 1u), true);
}

@compute @workgroup_size(WG)
fn chunk(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  // Uniform per workgroup, so the barriers below stay in uniform control flow.
  let g = domain_workgroup(wid, nwg);
  let pk = chunk_of(g);
  let span = chunk_positions(pk.y);
  var a = part_empty();
  if (g < params.end) {
    a = scan_plane(pk.x, span.x + lid.x, span.y, WG);
  }
  shared_parts[lid.x] = a;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid.x < half) {
      shared_parts[lid.x] = part_merge(shared_parts[lid.x], shared_parts[lid.x + half]);
    }
    workgroupBarrier();
  }
  if (lid.x == 0u && g < params.end) {
    // A single-chunk plane is finished here; otherwise this is a partial for combine.
    store_part(pk.x * params.chunks + pk.y, shared_parts[0], params.chunks == 1u);
  }
}

@compute @workgroup_size(WG)
fn chunk_scan(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let g = domain_invocation(wid, nwg, lid);
  if (g >= params.end) {
    return;
  }
  let pk = chunk_of(g);
  let span = chunk_positions(pk.y);
  store_part(pk.x * params.chunks + pk.y, scan_plane(pk.x, span.x, span.y, 1u), params.chunks == 1u);
}

@compute @workgroup_size(WG)
fn combine(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = domain_invocation(wid, nwg, lid);
  if (p >= params.end) {
    return;
  }
  var a = part_empty();
  for (var k = 0u; k < params.chunks; k++) {
    a = part_merge(a, load_part(p * params.chunks + k));
  }
  store_part(p, a, true);
}

// Global average, pass 1 over NCHW chunks with subgroup operations: the `chunk` entry point of
// map-global.wgsl without its tree of barriers. Needs the `subgroups` feature; the host puts
// `enable subgroups;` first.
// One workgroup per (plane, chunk), numbered and written as `chunk`: strided sums per invocation,
// one subgroupAdd, then each subgroup's first invocation stores the subgroup's sum at its own
// local index (every other invocation stores 0) and, after the one barrier, invocation 0 adds the
// WG entries in index order. That order does not depend on which subgroup finishes first, so the
// result is the same run to run on a given device.
// Requires: map-global.wgsl (scan_plane); part-avg.wgsl (Part, part_empty, store_part).

var<workgroup> subgroup_sums: array<f32, WG>;

@compute @workgroup_size(WG)
fn chunk_subgroup(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(subgroup_invocation_id) lane: u32) {
  // Uniform per workgroup, so the subgroup operation and the barrier stay in uniform control flow.
  let g = domain_workgroup(wid, nwg);
  let pk = chunk_of(g);
  let p = pk.x;
  let k = pk.y;
  let span = chunk_positions(k);
  var a = part_empty();
  if (g < params.end) {
    a = scan_plane(p, span.x + lid.x, span.y, WG);
  }
  let subgroup_sum = subgroupAdd(a.sum);
  subgroup_sums[lid.x] = select(0.0, subgroup_sum, lane == 0u);
  workgroupBarrier();
  if (lid.x == 0u && g < params.end) {
    var total = 0.0;
    for (var i = 0u; i < WG; i++) {
      total += subgroup_sums[i];
    }
    // A single-chunk plane is finished here; otherwise this is a partial sum for combine.
    store_part(p * params.chunks + k, Part(total), params.chunks == 1u);
  }
}

// Max-unpooling backward: one invocation per dx element (x-shaped), gathering dy at its index:
// dx[j] = dy[indices[j]] in the same (n, c) volume; 0 for an index outside [0, volume of dy).
// Deterministic, no clear: every dx element is written once. In NdParams `in` is x's spatial size,
// `out` dy's. Split: indices and dx in group 'in', dy in 'out'.
// Requires: nd-layout.wgsl, unpool-index-offset.wgsl, linear_invocation.
@group(0) @binding(1) var<storage, read> dy: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> dx: array<u32>;

@compute @workgroup_size(WG)
fn gather(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let j = i - params.inOffset;
  let idx = indices[j];
  let volume = volume_of(out_size());
  var bits = 0u;
  if (idx >= 0 && idx < volume) {
    let e = nd_coords(i, in_size());
    bits = dy[index_offset(e.n, e.c, idx, volume) - params.outOffset];
  }
  dx[j] = bits;
}

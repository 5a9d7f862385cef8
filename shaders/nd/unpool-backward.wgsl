// Max-unpooling backward: one invocation per dx element (x-shaped), gathering dy at its index:
// dx[j] = dy[indices[j]] in the same (n, c) volume; 0 for an index outside [0, volume of dy).
// Deterministic, no clear: every dx element is written once. In NdParams `in` is x's spatial size,
// `out` dy's. Split: indices and dx in group 'in', dy in 'out'.
// Requires: nd-layout.wgsl, unpool-index-offset.wgsl, linear_invocation.
@group(0) @binding(1) var<storage, read> dy: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> dx: array<u32>;

// The accessors own the split offsets: elements of the whole tensors, carried as bits.
fn load_dy(i: u32) -> u32 { return dy[i - params.outOffset]; }
fn load_index(i: u32) -> i32 { return indices[i - params.inOffset]; }
fn store_dx(i: u32, v: u32) { dx[i - params.inOffset] = v; }

@compute @workgroup_size(WG)
fn gather(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let idx = load_index(i);
  let volume = volume_of(out_size());
  var bits = 0u;
  if (idx >= 0 && idx < volume) {
    let e = nd_coords(i, in_size());
    bits = load_dy(index_offset(e.n, e.c, idx, volume));
  }
  store_dx(i, bits);
}

// Max-unpooling, pass 2 of 2: one invocation per y element, which alone reads and writes it. y
// holds 1 + the winning source position from pass 1 (unpool-owners.wgsl), or 0; the element
// becomes that source's x value (bits copied: NaN payloads, -0 and subnormals survive), or stays 0.
// Split: x in group 'in', y in 'out' (whole planes or channels-last images: the winner may be anywhere).
// Requires: nd-layout.wgsl, unpool-index-offset.wgsl, linear_invocation.
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<u32>;

// The accessors own the split offsets: elements of the whole tensors, carried as bits.
fn load_x(i: u32) -> u32 { return x[i - params.inOffset]; }
fn load_y(i: u32) -> u32 { return y[i - params.outOffset]; }
fn store_y(i: u32, v: u32) { y[i - params.outOffset] = v; }

@compute @workgroup_size(WG)
fn place(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let owner = load_y(i);
  if (owner == 0u) {
    return;
  }
  let e = nd_coords(i, out_size());
  store_y(i, load_x(index_offset(e.n, e.c, i32(owner - 1u), volume_of(in_size()))));
}

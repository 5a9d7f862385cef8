// Max-unpooling, pass 1 of 2 (docs/unpool-fractional.md): one invocation per x element. y (cleared
// to 0 first) is seen as atomic words; each x element bids atomicMax(y[idx], source + 1), where
// `source` is its flat position in its x volume, so after the pass y[j] holds 1 + the largest
// source position whose index is j (0: none). The rule "the largest source position wins" is
// PyTorch CPU's and ONNX Runtime's "last write wins" in plane order, here independent of
// scheduling. An index outside [0, volume of y) is skipped: never written out of bounds.
// In NdParams, `in` is x's spatial size and `out` y's. Split: x and indices in group 'in', y in 'out'.
// Requires: nd-layout.wgsl, unpool-index-offset.wgsl, linear_invocation.
@group(0) @binding(1) var<storage, read> indices: array<i32>;
@group(0) @binding(2) var<storage, read_write> y: array<atomic<u32>>;

// The accessors own the split offsets: elements of the whole tensors.
fn load_index(i: u32) -> i32 { return indices[i - params.inOffset]; }
fn raise_owner(i: u32, owner: u32) { atomicMax(&y[i - params.outOffset], owner); }

@compute @workgroup_size(WG)
fn owners(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let size = in_size();
  let e = nd_coords(i, size);
  let idx = load_index(i);
  let volume = volume_of(out_size());
  if (idx < 0 || idx >= volume) {
    return;
  }
  let source = volume_position(e.p, size);
  raise_owner(index_offset(e.n, e.c, idx, volume), u32(source + 1));
}

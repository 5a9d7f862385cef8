// Max-unpooling fallback, one pass, doing nothing unless unpool-write.wgsl raised the flag: then
// one workgroup per (n, c) plane redoes the plane by the bid rule of unpool-owners.wgsl and
// unpool-place.wgsl, its steps separated by barriers: clear y, bid atomicMax(y[idx], source + 1)
// for every x element with an index inside the volume, then each y element (alone) becomes the
// winner's x value (bits copied) or stays 0. Domain: WG invocations per plane, planes in n·C + c
// order (a channels-last image is C consecutive planes). Split: x and indices in group 'in', y in
// 'out', flag bound whole.
// Requires: nd-layout.wgsl, unpool-index-offset.wgsl, linear_invocation.
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> y: array<atomic<u32>>;
@group(0) @binding(4) var<storage, read> flag: array<u32>;

// The accessors own the split offsets: elements of the whole tensors, carried as bits.
fn load_x(i: u32) -> u32 { return x[i - params.inOffset]; }
fn load_index(i: u32) -> i32 { return indices[i - params.inOffset]; }
fn load_y(i: u32) -> u32 { return atomicLoad(&y[i - params.outOffset]); }
fn store_y(i: u32, v: u32) { atomicStore(&y[i - params.outOffset], v); }
fn raise_owner(i: u32, owner: u32) { atomicMax(&y[i - params.outOffset], owner); }

var<workgroup> raised: u32;

@compute @workgroup_size(WG)
fn fallback(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  if (lid.x == 0u) {
    raised = flag[0];
  }
  let first = params.base + linear_workgroup(wid, nwg) * WG;
  if (workgroupUniformLoad(&raised) == 0u || first >= params.end) {
    return;
  }
  let plane = i32(first / WG);
  let n = plane / params.C;
  let c = plane % params.C;
  let lane = i32(lid.x);
  let step = i32(WG);
  let xVolume = volume_of(in_size());
  let yVolume = volume_of(out_size());
  for (var q = lane; q < yVolume; q += step) {
    store_y(index_offset(n, c, q, yVolume), 0u);
  }
  storageBarrier();
  workgroupBarrier();
  for (var v = lane; v < xVolume; v += step) {
    let idx = load_index(index_offset(n, c, v, xVolume));
    if (idx >= 0 && idx < yVolume) {
      raise_owner(index_offset(n, c, idx, yVolume), u32(v + 1));
    }
  }
  storageBarrier();
  workgroupBarrier();
  for (var q = lane; q < yVolume; q += step) {
    let j = index_offset(n, c, q, yVolume);
    let owner = load_y(j);
    if (owner != 0u) {
      store_y(j, load_x(index_offset(n, c, i32(owner - 1u), xVolume)));
    }
  }
}

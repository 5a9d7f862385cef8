// Max-unpooling, fast path pass 1 for channels-last with C % 4 == 0: unpool-write.wgsl's rule with
// one invocation per 4 consecutive channels of one x position, x and the indices read as vec4
// (split offsets are multiples of 4 elements: binding offsets are 16-byte aligned or more). The
// position is found once for the four lanes; each lane tests its target against the position's
// stride cell (in_own_cell, unpool-cells.wgsl, as the scalar form does) and stores, or raises the flag.
// Split: x and indices in group 'in', y in 'out', flag bound whole.
// Requires: nd-layout.wgsl, unpool-index-offset.wgsl, unpool-cells.wgsl (in_own_cell), linear_invocation.
@group(0) @binding(1) var<storage, read> x: array<vec4u>;
@group(0) @binding(2) var<storage, read> indices: array<vec4i>;
@group(0) @binding(3) var<storage, read_write> y: array<u32>;
@group(0) @binding(4) var<storage, read_write> flag: array<atomic<u32>>;

// The accessors own the split offsets: x and indices by vec4 (element / 4), y by element.
fn load_x4(q: u32) -> vec4u { return x[q - params.inOffset / 4u]; }
fn load_index4(q: u32) -> vec4i { return indices[q - params.inOffset / 4u]; }
fn store_y(i: u32, v: u32) { y[i - params.outOffset] = v; }

@compute @workgroup_size(WG)
fn write_values_vec4(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let q = params.base + linear_invocation(wid, nwg, lid);
  if (q >= params.end) {
    return;
  }
  let size = in_size();
  let o = out_size();
  let yVol = volume_of(o);
  let C4 = u32(params.C) / 4u;
  // Element 4q: channel 4·(q % C4) of pixel q / C4 (n·volume + v).
  let c = (q % C4) * 4u;
  let pixel = i32(q / C4);
  let xVol = volume_of(size);
  let n = pixel / xVol;
  let v = pixel - n * xVol;
  let p = vec3i(v / (size.y * size.z), (v / size.z) % size.y, v % size.z);
  let idx = load_index4(q);
  let bits = load_x4(q);
  let yBase = u32(n * yVol) * u32(params.C) + c;
  for (var t = 0; t < 4; t++) {
    let k = idx[t];
    if (k >= 0 && k < yVol) {
      if (in_own_cell(k, p, o)) {
        store_y(yBase + u32(k) * u32(params.C) + u32(t), bits[t]);
      } else {
        atomicStore(&flag[0], 1u);
      }
    }
  }
}

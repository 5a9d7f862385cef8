// Max-unpooling, fast path pass 1 for channels-last with C % 4 == 0: unpool-write.wgsl's rule with
// one invocation per 4 consecutive channels of one x position, x and the indices read as vec4
// (split offsets are multiples of 4 elements: binding offsets are 16-byte aligned or more). The
// position is found once for the four lanes; each lane tests its target against the position's
// stride cell (in_own_cell, same file as the scalar form's) and stores, or raises the flag.
// Split: x and indices in group 'in', y in 'out', flag bound whole.
// Requires: nd-layout.wgsl, unpool-index-offset.wgsl, linear_invocation.
@group(0) @binding(1) var<storage, read> x: array<vec4u>;
@group(0) @binding(2) var<storage, read> indices: array<vec4i>;
@group(0) @binding(3) var<storage, read_write> y: array<u32>;
@group(0) @binding(4) var<storage, read_write> flag: array<atomic<u32>>;

override CELL_D: i32 = 0;
override CELL_H: i32 = 0;

// Whether flat position idx of y's volume lies in the stride cell of x position p (as in
// unpool-write.wgsl).
fn in_own_cell(idx: i32, p: vec3i, o: vec3i) -> bool {
  let s = strides();
  let lo = p * s - pad_begin();
  let w0 = max(lo.z, 0);
  let w1 = min(lo.z + s.z, o.z);
  let nd = select(s.x, CELL_D, CELL_D > 0);
  let nh = select(s.y, CELL_H, CELL_H > 0);
  var found = false;
  for (var dd = 0; dd < nd; dd++) {
    let d = lo.x + dd;
    for (var dh = 0; dh < nh; dh++) {
      let h = lo.y + dh;
      let w = idx - (d * o.y + h) * o.z;
      found = found || (d >= 0 && d < o.x && h >= 0 && h < o.y && w >= w0 && w < w1);
    }
  }
  return found;
}

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
  let j = q - params.inOffset / 4u;
  let idx = indices[j];
  let bits = x[j];
  let yBase = u32(n * yVol) * u32(params.C) + c;
  for (var t = 0; t < 4; t++) {
    let k = idx[t];
    if (k >= 0 && k < yVol) {
      if (in_own_cell(k, p, o)) {
        y[yBase + u32(k) * u32(params.C) + u32(t) - params.outOffset] = bits[t];
      } else {
        atomicStore(&flag[0], 1u);
      }
    }
  }
}

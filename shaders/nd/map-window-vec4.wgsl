// Forward mapping of the N-d kernels for channels-last tensors with C % 4 == 0: one invocation per
// output pixel and group of four adjacent channels, which scans the window's real taps once and
// adds a vec4 per tap (window-scan-vec4.wgsl): the per-invocation setup (coordinates, tap ranges)
// is shared by four outputs and the loads are 16 bytes. Domain indices count vec4s. Real taps
// only (no zero padding).
// Requires: nd-layout.wgsl; window-scan-vec4.wgsl; a vec4 reduction (reduce-*-vec4.wgsl);
// io-forward-vec4-*.wgsl.

struct NdCoord4 {
  n: i32,
  // The first of the four channels, as a vec4 index within the pixel.
  group: i32,
  p: vec3i,
}

fn nd_coords4(i: u32, size: vec3i) -> NdCoord4 {
  let groups = params.C / 4;
  let j = i32(i);
  let volume = size.x * size.y * size.z;
  let group = j % groups;
  let pixel = j / groups;
  let v = pixel % volume;
  let w = v % size.z;
  let h = (v / size.z) % size.y;
  return NdCoord4(pixel / volume, group, vec3i(v / (size.z * size.y), h, w));
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = nd_coords4(i, out_size());
  let taps = window_taps(NdCoord(e.n, 4 * e.group, e.p));
  store_y4(i, acc4_value(reduce_window4(taps, e.n, e.group), taps));
}

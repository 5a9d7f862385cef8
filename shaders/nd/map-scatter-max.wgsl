// Scatter backward of N-d max pooling: one invocation per dy element, adding it atomically into
// dx at its argmax (dx cleared first). The index rule (docs/semantics.md, "Max pooling, backward"):
// an index counts only when it names a tap of its own output's window, a real element at
// o·s − pb + t·d for a tap t on every axis; any other (-1, outside the volume, in the volume but
// not in that window) sends nothing, exactly as the gather mapping sees it, and can never write out
// of bounds. Requires: nd-layout.wgsl; io-scatter-*.wgsl.

// Without dilation every offset inside the window's span is a tap, and the modulo test (integer
// division, slow on software adapters) is compiled out.
override DILATED: bool = true;

@compute @workgroup_size(WG)
fn scatter(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = nd_coords(i, out_size());
  let size = in_size();
  let idx = load_index(i);
  // Unsigned, so a negative index becomes a huge one that the volume test rejects; its coordinates
  // are garbage, never used.
  let u = bitcast<u32>(idx);
  let plane = u32(size.y * size.z);
  let p = vec3i(vec3u(u / plane, (u % plane) / u32(size.z), u % u32(size.z)));
  // p - start = t·d per axis, with t in [0, k): one unsigned comparison per axis (a position before
  // the window wraps to a large offset), then the dilation grid.
  let offset = p - (e.p * strides() - pad_begin());
  let d = dilations();
  var own = (u < plane * u32(size.x)) & all(bitcast<vec3u>(offset) <= vec3u(d * (kernel_size() - vec3i(1))));
  if (DILATED) {
    own = own & all(offset % d == vec3i(0));
  }
  if (own) {
    add_dx(nd_offset(e.n, e.c, p, size), load_dy(i));
  }
}

// Scatter backward of N-d max pooling: one invocation per dy element, adding it atomically into
// dx at its argmax (dx cleared first). The index rule (docs/semantics.md, "Max pooling, backward"):
// an index counts only when it names a real element of the volume that is a tap of its own
// output's window (window_owns, from the window file: regular windows' o·s − pb + t·d, or the
// adaptive windows); any other (-1, outside the volume, in the volume but not in that window)
// sends nothing, exactly as the gather mappings see it, and can never write out of bounds.
// Requires: nd-layout.wgsl; window_owns (a window-*.wgsl file); io-scatter-*.wgsl.

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
  if ((u < plane * u32(size.x)) & window_owns(e, p)) {
    add_dx(nd_offset(e.n, e.c, p, size), load_dy(i));
  }
}

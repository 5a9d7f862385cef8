// Global pooling backward, one invocation per input element (element i of plane p at in-plane
// position s, in either layout). Every element is written, so dx needs no zeroing.
//   max_backward  eq. 10: dy of the plane goes to the forward's argmax only (index -1: nowhere).
//   avg_backward  eq. 12 read with the input plane size (SEMANTICS.md): dy / (H*W) everywhere.
// dy and the indices are ordered n*C + c in both layouts, one value per plane.

// Storage: io-global-backward.wgsl's accessors.

// (plane, in-plane position) of element i; the inverse of plane_offset.
fn element_plane(i: u32) -> vec2u {
  if (NHWC) {
    let per_image = params.planeSize * params.C;
    return vec2u((i / per_image) * params.C + i % params.C, (i % per_image) / params.C);
  }
  return vec2u(i / params.planeSize, i % params.planeSize);
}

@compute @workgroup_size(WG)
fn max_backward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = element_plane(i);
  store_dx(i, select(0.0, load_dy(e.x), load_dy_index(e.x) == i32(e.y)));
}

@compute @workgroup_size(WG)
fn avg_backward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  store_dx(i, load_dy(element_plane(i).x) / f32(params.planeSize));
}

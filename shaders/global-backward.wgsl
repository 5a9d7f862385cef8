// Global pooling backward, one invocation per input element (element i of plane p at in-plane
// position s, in either layout). Every element is written, so dx needs no zeroing.
//   max_backward  eq. 10: dy of the plane goes to the forward's argmax only (index -1: nowhere).
//   avg_backward  eq. 12 read with the input plane size (SEMANTICS.md): dy / (H*W) everywhere.
// dy and the indices are ordered n*C + c in both layouts, one value per plane.

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> dy_indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

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
  let p = e.x - params.outOffset;
  dx[i - params.inOffset] = select(0.0, dy[p], dy_indices[p] == i32(e.y));
}

@compute @workgroup_size(WG)
fn avg_backward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  dx[i - params.inOffset] = dy[element_plane(i).x - params.outOffset] / f32(params.planeSize);
}

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

// The row-group form (src/kernels/global-backward.ts, 'rows'): invocation j writes up to 4
// consecutive elements of one row, a row being W positions of a plane (NCHW) or W·C elements of a
// channels-last image. The row's plane (NCHW) or image and row (NHWC) are decoded once per group;
// channels-last lanes step the channel (and past C, the position) by additions. Same values as the
// per-element entry points.
struct RowGroup {
  // dx element of the first lane, and the lanes inside the row.
  first: u32,
  lanes: u32,
  // NCHW: the plane and the first lane's in-plane position. NHWC: the image's first plane
  // (n·C), the first lane's channel and in-plane position.
  plane: u32,
  c: u32,
  pos: u32,
}

fn row_group(j: u32) -> RowGroup {
  let W = params.W;
  let rows_per_plane = params.planeSize / W;
  let row_length = select(W, W * params.C, NHWC);
  let groups = (row_length + 3u) / 4u;
  let row = j / groups;
  let r = (j - row * groups) * 4u;
  let first = row * row_length + r;
  let lanes = min(row_length - r, 4u);
  if (NHWC) {
    let n = row / rows_per_plane;
    let h = row - n * rows_per_plane;
    let w = r / params.C;
    return RowGroup(first, lanes, n * params.C, r - w * params.C, h * W + w);
  }
  let plane = row / rows_per_plane;
  return RowGroup(first, lanes, plane, 0u, (row - plane * rows_per_plane) * W + r);
}

@compute @workgroup_size(WG)
fn avg_backward_rows(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let j = domain_invocation(wid, nwg, lid);
  if (j >= params.end) {
    return;
  }
  let g = row_group(j);
  let size = f32(params.planeSize);
  if (!NHWC) {
    let v = load_dy(g.plane) / size;
    for (var t = 0u; t < g.lanes; t++) {
      store_dx(g.first + t, v);
    }
    return;
  }
  var c = g.c;
  for (var t = 0u; t < g.lanes; t++) {
    store_dx(g.first + t, load_dy(g.plane + c) / size);
    c++;
    if (c == params.C) {
      c = 0u;
    }
  }
}

@compute @workgroup_size(WG)
fn max_backward_rows(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let j = domain_invocation(wid, nwg, lid);
  if (j >= params.end) {
    return;
  }
  let g = row_group(j);
  if (!NHWC) {
    let v = load_dy(g.plane);
    let index = load_dy_index(g.plane);
    for (var t = 0u; t < g.lanes; t++) {
      store_dx(g.first + t, select(0.0, v, index == i32(g.pos + t)));
    }
    return;
  }
  var c = g.c;
  var pos = g.pos;
  for (var t = 0u; t < g.lanes; t++) {
    store_dx(g.first + t, select(0.0, load_dy(g.plane + c), load_dy_index(g.plane + c) == i32(pos)));
    c++;
    if (c == params.C) {
      c = 0u;
      pos++;
    }
  }
}

// Global pooling backward, the thread mappings: what a plane's dy sends to each of its elements
// comes from the gradient (grad-max.wgsl: dy to the forward's argmax only, index -1 nowhere, eq. 10;
// grad-avg.wgsl: dy / planeSize everywhere, eq. 12 read with the input plane size, SEMANTICS.md).
// Every element is written, so dx needs no zeroing. dy and the indices are ordered n*C + c in both
// layouts, one value per plane. Entry points (src/kernels/global-backward.ts):
//   element  one invocation per dx element (element i of plane p at in-plane position s);
//   rows     one invocation per group of up to 4 consecutive elements of one row (below).
// Requires: plane-params.wgsl; PlaneSent, plane_sent, sent_to (a global grad-*.wgsl file);
// store_dx (io-global-backward.wgsl).

// (plane, in-plane position) of element i; the inverse of plane_offset.
fn element_plane(i: u32) -> vec2u {
  if (NHWC) {
    let per_image = params.planeSize * params.C;
    return vec2u((i / per_image) * params.C + i % params.C, (i % per_image) / params.C);
  }
  return vec2u(i / params.planeSize, i % params.planeSize);
}

@compute @workgroup_size(WG)
fn element(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = element_plane(i);
  store_dx(i, sent_to(plane_sent(e.x), e.y));
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
fn rows(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let j = domain_invocation(wid, nwg, lid);
  if (j >= params.end) {
    return;
  }
  let g = row_group(j);
  if (!NHWC) {
    let sent = plane_sent(g.plane);
    for (var t = 0u; t < g.lanes; t++) {
      store_dx(g.first + t, sent_to(sent, g.pos + t));
    }
    return;
  }
  var c = g.c;
  var pos = g.pos;
  for (var t = 0u; t < g.lanes; t++) {
    store_dx(g.first + t, sent_to(plane_sent(g.plane + c), pos));
    c++;
    if (c == params.C) {
      c = 0u;
      pos++;
    }
  }
}

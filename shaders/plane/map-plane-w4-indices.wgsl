// The W4 plane forward mapping's entry point that also stores the indices (max pooling with
// returnIndices). Requires: map-plane-w4.wgsl, nd/w4-store-indices.wgsl, a reduction with acc_index.

@compute @workgroup_size(WG)
fn main_with_indices(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let g = plane_w4(i);
  store_w4_values(g);
  store_w4_indices(g);
}

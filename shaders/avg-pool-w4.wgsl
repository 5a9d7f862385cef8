// Average pooling forward for NCHW, one invocation per 4 consecutive outputs of an output row
// (w4-rows.wgsl): each real input element under the group's windows is loaded once and added into
// the lanes whose window holds it, in each window's own row-major order (adding 0 to the other
// lanes changes no sum). Each lane divides by the same divisor as the scalar kernel
// (avg-divisor.wgsl); divisor 0 gives 0. A row's tail group stores only its real outputs.

// Storage: x and y through the forward accessors (nd/io-forward-f32.wgsl), which own the
// split offsets and the element type.

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = w4_group_coords(i);
  let lanes = w4_lanes(o.w);
  let h0 = o.z * params.sH - params.padTop;
  let starts = w4_window_starts(o.w);
  let cols = w4_real_columns(starts, lanes, params.kW);
  let h_end = min(h0 + params.kH, params.H);
  var sum = vec4f(0.0);
  for (var h = max(h0, 0); h < h_end; h++) {
    let row = tensor_offset(o.x, o.y, h, 0, params.H, params.W);
    for (var w = cols.x; w < cols.y; w++) {
      sum += select(vec4f(0.0), vec4f(load_x(row + u32(w))), w4_taps(w, starts, params.kW, 1));
    }
  }
  let divisor = vec4f(window_divisor(o.z, o.w), window_divisor(o.z, o.w + 1), window_divisor(o.z, o.w + 2), window_divisor(o.z, o.w + 3));
  let mean = select(sum / divisor, vec4f(0.0), divisor == vec4f(0.0));
  let out = w4_output_offset(o);
  for (var t = 0; t < lanes; t++) {
    store_y(out + u32(t), mean[t]);
  }
}

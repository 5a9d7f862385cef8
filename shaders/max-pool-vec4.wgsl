// Max pooling forward for NHWC with C % 4 == 0: one invocation per 4 adjacent channels of one
// output position, with vec4 loads and stores. Neighbouring invocations read neighbouring
// channels, so loads coalesce; the window arithmetic is paid once per 4 outputs.
// The rules are those of max-pool.wgsl, lane by lane: start from the empty running maximum,
// replace when greater or NaN (the last NaN wins; under NAN_IGNORE a NaN never replaces), ties keep
// the first. Padded positions never take part (the zero-padding variant uses the scalar kernel). The domain is counted in vec4s. Lanes compare
// order keys and carry bits (common.wgsl), so subnormals survive any adapter.

// Storage: x4, y4 and indices4 through the vec4 forward accessors (nd/io-forward-vec4-f32.wgsl),
// which own the split offsets and the element type.

// Four running maxima: bits, kept keys (kept_key, common.wgsl) and indices.
struct Best4 {
  bits: vec4u,
  key: vec4i,
  index: vec4i,
}

fn load4(n: i32, h: i32, w: i32, c: i32) -> vec4u {
  return bitcast<vec4u>(load_x4(tensor_offset(n, c, h, w, params.H, params.W) / 4u));
}

fn window_max4(i: u32) -> Best4 {
  let o = channel_group_coords(i, params.outH, params.outW);
  let n = o.x;
  let c = o.y;
  let oh = o.z;
  let ow = o.w;
  let h0 = oh * window_sh() - params.padTop;
  let w0 = ow * window_sw() - params.padLeft;
  let rows = real_taps(h0, window_kh(), window_dh(), params.H);
  let cols = real_taps(w0, window_kw(), window_dw(), params.W);
  if (rows.x >= rows.y || cols.x >= cols.y) {
    return Best4(vec4u(EMPTY_MAX_BITS), vec4i(NEGATIVE_INFINITY_KEY), vec4i(-1));
  }
  // From the empty running maximum: the first element is taken (a NaN under NAN_IGNORE never is).
  var best = Best4(vec4u(EMPTY_MAX_BITS), vec4i(EMPTY_KEY), vec4i(-1));
  for (var ky = rows.x; ky < rows.y; ky++) {
    let h = h0 + ky * window_dh();
    for (var kx = cols.x; kx < cols.y; kx++) {
      let w = w0 + kx * window_dw();
      let v = load4(n, h, w, c);
      let k = order_key4(v);
      let take = takes_max4(k, best.key);
      // The kept key of a lane that takes is kept_key4(k) >= its old one, and of one that does not
      // it is not above the old one: max picks the right one without a select.
      best = Best4(select(best.bits, v, take), max(best.key, kept_key4(k)), select(best.index, vec4i(h * params.W + w), take));
    }
  }
  return best;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  store_y4(i, bitcast<vec4f>(window_max4(i).bits));
}

@compute @workgroup_size(WG)
fn main_with_indices(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let best = window_max4(i);
  store_y4(i, bitcast<vec4f>(best.bits));
  store_index4(i, best.index);
}

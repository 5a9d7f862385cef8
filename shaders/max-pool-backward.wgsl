// Max pooling backward (derivation eq. 5-6): dx[a, b] is the sum of dy over the outputs whose
// argmax, the forward's index h*W + w in the (n, c) plane, is (a, b). The index rule
// (docs/semantics.md, "Max pooling, backward"): an index counts only when it names a tap of its own
// output's window, a real element at o*s - pad + t*d for a tap t on both axes (own_tap); any other
// (-1, outside the plane, in the plane but not in that window) sends its gradient nowhere. Every
// form tests exactly that, so they agree for any indices, and an out-of-plane write cannot happen.
// Entry points, picked by the host (src/kernels/backward-choice.ts):
//   scatter  one invocation per output element, adding dy into dx at the argmax with an atomic
//            float add (overlapping windows can share an argmax); dx is zeroed first.
//   direct   the same mapping when windows cannot overlap (stride >= effective kernel on both
//            axes): each element has at most one writer, so a plain store (-0 as +0, as the
//            reference's zeroed sum leaves it); dx is zeroed first.
//   gather   one invocation per input element, summing dy over the outputs whose windows have a
//            tap on it and whose index points at it (the rule, seen from the element), oh outer and
//            ow inner, ascending: a fixed order, so the result is bit-identical run to run. Writes
//            every element; no zeroing needed.
//   cell     windows that cannot overlap, without a clear step: one invocation per output element
//            (cell_vec4 in max-pool-backward-vec4.wgsl: four channels of one, NHWC), writing every
//            element of its stride cell (cell_range): dy at the window's index, 0 elsewhere. The
//            cells tile the plane, so every dx element is written exactly once; at most one
//            gradient reaches it, so the result is the reference's bit for bit (-0 as +0, as the
//            reference's zeroed sum leaves it). A cell is wider than its window when the stride
//            exceeds the effective kernel, or has gaps between taps with dilation, so the index is
//            tested with own_tap first. The stride comes from window-constants.wgsl (pipeline
//            constants for 2x2 s2).

// Without dilation (DILATED false, window-constants.wgsl) every output in the reaching range has a
// tap on the element, and the modulo tests (integer division, slow on software adapters) can be
// skipped.

// Storage: dy, indices and dx through io-plane-backward.wgsl's accessors.

// Whether in-plane position `pos` is a tap of output `o`'s window along one axis: pos + pad - o*s
// = t*d for a tap t in [0, k). Integer arithmetic only, and no short-circuit branches: the range is
// one unsigned comparison (a position before the window wraps to a large offset), then the
// dilation grid. The caller has checked 0 <= pos < extent.
fn axis_tap(pos: i32, o: i32, pad: i32, k: i32, s: i32, d: i32) -> bool {
  let offset = pos + pad - o * s;
  let inside = bitcast<u32>(offset) <= u32(d * (k - 1));
  if (DILATED) {
    return inside & (offset % d == 0);
  }
  return inside;
}

// The index rule: in-plane position (h, w) is a tap of the window of output (oh, ow).
fn window_tap(h: i32, w: i32, oh: i32, ow: i32) -> bool {
  return axis_tap(h, oh, params.padTop, window_kh(), window_sh(), window_dh()) & axis_tap(w, ow, params.padLeft, window_kw(), window_sw(), window_dw());
}

// The index rule for an index: it names a real element of the window of output (oh, ow). The
// coordinates of a negative index (unsigned, so huge) are garbage, but the plane test rejects it.
fn own_tap(index: i32, oh: i32, ow: i32) -> bool {
  let u = bitcast<u32>(index);
  let h = u / u32(params.W);
  return (u < u32(params.H * params.W)) & window_tap(i32(h), i32(u - h * u32(params.W)), oh, ow);
}

// Element of dx of output i's argmax, or -1 when its gradient goes nowhere (the index rule).
fn argmax_offset(i: u32) -> i32 {
  let index = load_index(i);
  let o = tensor_coords(i, params.outH, params.outW);
  let u = bitcast<u32>(index);
  let h = i32(u / u32(params.W));
  let w = index - h * params.W;
  let ok = (u < u32(params.H * params.W)) & window_tap(h, w, o.z, o.w);
  return select(-1, i32(tensor_offset(o.x, o.y, h, w, params.H, params.W)), ok);
}

@compute @workgroup_size(WG)
fn scatter(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  // The bound part of dx holds every output's window when the op is split; the bounds test only
  // guards the store.
  let dest = argmax_offset(i);
  if (dx_bits_bound(dest)) {
    add_dx(u32(dest), load_dy(i));
  }
}

@compute @workgroup_size(WG)
fn direct(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let dest = argmax_offset(i);
  if (dx_bound(dest)) {
    store_dx(u32(dest), plus_zero(load_dy(i)));
  }
}

@compute @workgroup_size(WG)
fn gather(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = tensor_coords(i, params.H, params.W);
  let here = e.z * params.W + e.w;
  let rows = reaching_range(e.z, params.padTop, params.kH, params.sH, params.dH, params.outH);
  let cols = reaching_range(e.w, params.padLeft, params.kW, params.sW, params.dW, params.outW);
  var sum = 0.0;
  for (var oh = rows.x; oh <= rows.y; oh++) {
    if (DILATED && (e.z + params.padTop - oh * params.sH) % params.dH != 0) {
      continue;
    }
    for (var ow = cols.x; ow <= cols.y; ow++) {
      if (DILATED && (e.w + params.padLeft - ow * params.sW) % params.dW != 0) {
        continue;
      }
      let o = tensor_offset(e.x, e.y, oh, ow, params.outH, params.outW);
      if (load_index(o) == here) {
        sum += load_dy(o);
      }
    }
  }
  store_dx(i, sum);
}

@compute @workgroup_size(WG)
fn cell(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let o = block_coords(i, u32(params.outH), u32(params.outW));
  let rows = cell_range(i32(o.z), params.padTop, window_sh(), params.outH, params.H);
  let cols = cell_range(i32(o.w), params.padLeft, window_sw(), params.outW, params.W);
  let raw = load_index(i);
  let index = select(-1, raw, own_tap(raw, i32(o.z), i32(o.w)));
  let g = plus_zero(load_dy(i));
  let base = block_base(o);
  for (var h = rows.x; h < rows.y; h++) {
    for (var w = cols.x; w < cols.y; w++) {
      let here = h * params.W + w;
      store_dx(base + u32(here) * element_step(), select(0.0, g, here == index));
    }
  }
}

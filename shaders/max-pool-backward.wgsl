// Max pooling backward (derivation eq. 5-6): dx[a, b] is the sum of dy over the outputs whose
// argmax, the forward's index h*W + w in the (n, c) plane, is (a, b). Index -1 (a window whose
// maximum was a padded zero or that held no real element) sends its gradient nowhere, and so does an
// index outside the plane: the GPU cannot throw, and an out-of-plane write would hit another plane.
// Entry points, picked by the host (src/kernels/backward-choice.ts):
//   scatter  one invocation per output element, adding dy into dx at the argmax with an atomic
//            float add (overlapping windows can share an argmax); dx is zeroed first.
//   direct   the same mapping when windows cannot overlap (stride >= effective kernel on both
//            axes): each element has at most one writer, so a plain store (-0 as +0, as the
//            reference's zeroed sum leaves it); dx is zeroed first.
//   gather   one invocation per input element, summing dy over the outputs whose windows reach it
//            and whose index points at it, oh outer and ow inner, ascending: a fixed order, so the
//            result is bit-identical run to run. Writes every element; no zeroing needed.
//   cell     windows that cannot overlap, without a clear step: one invocation per output element
//            (cell_vec4 in max-pool-backward-vec4.wgsl: four channels of one, NHWC), writing every
//            element of its stride cell (cell_range): dy at the window's index, 0 elsewhere. The
//            cells tile the plane, so every dx element is written exactly once; at most one
//            gradient reaches it, so the result is the reference's bit for bit (-0 as +0, as the
//            reference's zeroed sum leaves it). The stride comes from window-constants.wgsl
//            (pipeline constants for 2x2 s2).

// Without dilation every output in the reaching range has a tap on the element, and the modulo
// tests (integer division, slow on software adapters) can be skipped.
override DILATED: bool = true;

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

// Offset in dx of output i's argmax, or -1 when its gradient goes nowhere.
fn argmax_offset(i: u32) -> i32 {
  let index = indices[i - params.outOffset];
  if (index < 0 || index >= params.H * params.W) {
    return -1;
  }
  let o = tensor_coords(i, params.outH, params.outW);
  return i32(tensor_offset(o.x, o.y, index / params.W, index % params.W, params.H, params.W));
}

@compute @workgroup_size(WG)
fn scatter(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  // Relative to the bound part of dx; an argmax outside it (possible only for indices made with
  // another window, when the op is split) is dropped rather than written out of range.
  let dest = argmax_offset(i) - i32(params.inOffset);
  if (dest >= 0 && u32(dest) < arrayLength(&dx_bits)) {
    atomic_add_dx(u32(dest), dy[i - params.outOffset]);
  }
}

@compute @workgroup_size(WG)
fn direct(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let dest = argmax_offset(i) - i32(params.inOffset);
  if (dest >= 0 && u32(dest) < arrayLength(&dx)) {
    dx[dest] = plus_zero(dy[i - params.outOffset]);
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
      let o = tensor_offset(e.x, e.y, oh, ow, params.outH, params.outW) - params.outOffset;
      if (indices[o] == here) {
        sum += dy[o];
      }
    }
  }
  dx[i - params.inOffset] = sum;
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
  let index = indices[i - params.outOffset];
  let g = plus_zero(dy[i - params.outOffset]);
  let base = block_base(o) - params.inOffset;
  for (var h = rows.x; h < rows.y; h++) {
    for (var w = cols.x; w < cols.y; w++) {
      let here = h * params.W + w;
      dx[base + u32(here) * element_step()] = select(0.0, g, here == index);
    }
  }
}

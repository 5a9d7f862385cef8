// The geometry of the plane backward mappings (map-backward-*.wgsl): which outputs reach an input
// position, the index rule's tap test, blocks and stride cells. The reductions' gradients are the
// N-d ones (nd/grad-*.wgsl); storage is io-plane-backward.wgsl.
// Provides: reaching_range, reaching_outputs, on_tap_grid, window_tap, block_coords, block_base,
// element_step, cell_range (plus_zero and plus_zero4 are common.wgsl's).
// Requires: the PoolParams uniform `params`, pool-params.wgsl (NHWC), window-constants.wgsl,
// window_owns (nd/window-regular.wgsl over plane-layout.wgsl).

// The outputs along one axis whose windows have a tap on input position `pos`, as [first, last]
// (empty when first > last). Output o's taps are o*s - pad + t*d for t in [0, k), so o reaches pos
// when o*s lies in [pos + pad - d*(k-1), pos + pad]; callers then keep only the o for which
// (pos + pad - o*s) is a multiple of d. Integer arithmetic with non-negative numerators only, as
// PyTorch's DilatedMaxPool2d.cu and Burn's loop_ranges do: float tests miss taps at the edges.
fn reaching_range(pos: i32, pad: i32, k: i32, s: i32, d: i32, out: i32) -> vec2i {
  let p = pos + pad;
  let earliest_start = p - d * (k - 1);
  let first = select(0, (earliest_start + s - 1) / s, earliest_start > 0);
  let last = min(p / s, out - 1);
  return vec2i(first, last);
}

// The outputs whose windows have a tap on in-plane position (h, w): rows [x, y] by columns [z, w]
// (reaching_range per axis), of which with dilation only those on the grid (on_tap_grid).
fn reaching_outputs(h: i32, w: i32) -> vec4i {
  let rows = reaching_range(h, params.padTop, params.kH, params.sH, window_dh(), params.outH);
  let cols = reaching_range(w, params.padLeft, params.kW, params.sW, window_dw(), params.outW);
  return vec4i(rows, cols);
}

// Whether output o in reach of position `pos` along an axis has a tap on it: always without
// dilation (DILATED false, so the modulo, an integer division that software adapters emulate, is
// compiled out), else when pos + pad - o*s is a multiple of d. The N-d gather's rule
// (nd/map-gather-cells.wgsl), with the plane kernels' DILATED.
fn on_tap_grid(pos: i32, pad: i32, o: i32, d: i32, s: i32) -> bool {
  return !DILATED || (pos + pad - o * s) % d == 0;
}

// Whether in-plane position (h, w) is a tap of the window of output (oh, ow), the index rule's
// test (docs/semantics.md, "Max pooling, backward"): the N-d window's own (window_owns,
// nd/window-regular.wgsl) at depth 0. The caller has checked that (h, w) lies in the plane.
fn window_tap(h: i32, w: i32, oh: i32, ow: i32) -> bool {
  return window_owns(NdCoord(0, 0, vec3i(0, oh, ow)), vec3i(0, h, w));
}

// Element i of a [N, C, rows, cols] tensor as (block, c, h, w): block is the (n, c) plane in NCHW
// (c = 0 there), the image n in NHWC. Unsigned, and one divide per level.
fn block_coords(i: u32, rows: u32, cols: u32) -> vec4u {
  if (NHWC) {
    let C = u32(params.C);
    let pixel = i / C;
    let row = pixel / cols;
    let n = row / rows;
    return vec4u(n, i - pixel * C, row - n * rows, pixel - row * cols);
  }
  let row = i / cols;
  let plane = row / rows;
  return vec4u(plane, 0u, row - plane * rows, i - row * cols);
}

// Input element (h, w) of block_coords' block and channel lies at block_base + (h*W + w) * element_step.
fn block_base(e: vec4u) -> u32 {
  let plane = e.x * u32(params.H) * u32(params.W);
  if (NHWC) {
    return plane * u32(params.C) + e.y;
  }
  return plane;
}

fn element_step() -> u32 {
  return select(1u, u32(params.C), NHWC);
}

// The `cell` entry points, the other way round: one invocation per output element, writing every
// element of its stride cell, [o*s - pad, (o+1)*s - pad) clipped to the input (the last output's
// cell runs to the input's end). The cells tile the axis and each holds its window (s >= effective
// kernel), so every dx element is written once: the window's gradient where it lands, 0 elsewhere.
fn cell_range(o: i32, pad: i32, s: i32, out: i32, extent: i32) -> vec2i {
  let start = o * s - pad;
  let end = select(start + s, extent, o == out - 1);
  return vec2i(max(start, 0), min(end, extent));
}


// Shared by the windowed backward kernels (max-pool-backward.wgsl, avg-pool-backward.wgsl): the
// geometry of reaching ranges, blocks and cells. Their storage is io-plane-backward.wgsl.

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

// A gradient as the reference leaves it: it adds into a zeroed sum, and 0 + (-0) is +0. Tested on
// the bits, as integers, which no float simplification may fold away.
fn plus_zero(v: f32) -> f32 {
  let bits = bitcast<u32>(v);
  return bitcast<f32>(select(bits, 0u, bits == 0x80000000u));
}

fn plus_zero4(v: vec4f) -> vec4f {
  let bits = bitcast<vec4u>(v);
  return bitcast<vec4f>(select(bits, vec4u(0u), bits == vec4u(0x80000000u)));
}

// Storage of the plane backward kernels (map-backward-*.wgsl with nd/grad-*.wgsl) with f32 elements: dy and indices (output-shaped), dx (input-shaped). The accessors own the split
// offsets (src/host/split.ts binds sub-ranges from element inOffset / outOffset) and the element
// type, so the kernels index whole tensors and never see either. Each binding has views:
//   dx       plain f32, for the direct, gather and cell entry points (each element one writer);
//   dx_bits  atomic words of f32 bits, for the scatter entry points: overlapping windows add into
//            one element from several invocations, and WGSL has no float atomics;
//   dy4, indices4, dx4  vec4s of four adjacent NHWC channels (C % 4 == 0; split offsets are whole
//            pixels, so multiples of 4), for the *_vec4 entry points.
// Every view of a binding binds the same GPUBuffer; no entry point uses two views of one binding.
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx_bits: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read> dy4: array<vec4f>;
@group(0) @binding(2) var<storage, read> indices4: array<vec4i>;
@group(0) @binding(3) var<storage, read_write> dx4: array<vec4f>;

fn load_dy(i: u32) -> f32 { return dy[i - params.outOffset]; }
fn load_index(i: u32) -> i32 { return indices[i - params.outOffset]; }
fn store_dx(i: u32, v: f32) { dx[i - params.inOffset] = v; }

// Whether dx element i (-1: none) lies in the bound part of dx. A split op binds the part that holds
// every window of its outputs, so only a store guided by an index (max backward) asks; one view each.
fn dx_bound(i: i32) -> bool { return i >= i32(params.inOffset) && u32(i) - params.inOffset < arrayLength(&dx); }
fn dx_bits_bound(i: i32) -> bool { return i >= i32(params.inOffset) && u32(i) - params.inOffset < arrayLength(&dx_bits); }

// The add goes through compare-exchange on the bits and retries when another invocation changed
// the element in between. The order of the adds, and so the rounding, depends on scheduling: this
// path is not bit-reproducible (the gather one is).
fn add_dx(i: u32, v: f32) {
  let j = i - params.inOffset;
  var old = atomicLoad(&dx_bits[j]);
  loop {
    let r = atomicCompareExchangeWeak(&dx_bits[j], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) {
      break;
    }
    old = r.old_value;
  }
}

// The vec4 views, indexed in vec4s (element index / 4).
fn load_dy4(i: u32) -> vec4f { return dy4[i - params.outOffset / 4u]; }
fn load_index4(i: u32) -> vec4i { return indices4[i - params.outOffset / 4u]; }
fn store_dx4(i: u32, v: vec4f) { dx4[i - params.inOffset / 4u] = v; }

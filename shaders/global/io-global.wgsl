// Storage of the global pooling kernels (global-max*.wgsl, global-avg*.wgsl) with f32 elements:
// x (the input, or pass 1's partials for combine) with its partial indices, and y (the outputs, or
// the partials) with its indices. The accessors own the split offsets (src/host/split.ts binds
// sub-ranges from element inOffset / outOffset) and the element type, so the kernels index whole
// tensors and never see either. Average pooling uses x and y only.
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> x_indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> y_indices: array<i32>;

fn load_x(i: u32) -> f32 { return x[i - params.inOffset]; }
fn load_x_index(i: u32) -> i32 { return x_indices[i - params.inOffset]; }
fn store_y(i: u32, v: f32) { y[i - params.outOffset] = v; }
fn store_y_index(i: u32, v: i32) { y_indices[i - params.outOffset] = v; }

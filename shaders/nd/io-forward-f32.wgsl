// Storage of a forward kernel (N-d or plane) with f32 elements: x (input-shaped), y and indices
// (output-shaped).
// The accessors own the split offsets (src/host/split.ts binds sub-ranges from element inOffset /
// outOffset) and the element type, so the mapping and reduction files never see either.
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> indices: array<i32>;

fn load_x(i: u32) -> f32 { return x[i - params.inOffset]; }
fn store_y(i: u32, v: f32) { y[i - params.outOffset] = v; }
fn store_index(i: u32, v: i32) { indices[i - params.outOffset] = v; }

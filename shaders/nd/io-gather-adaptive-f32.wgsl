// Storage of the adaptive gather backward (map-gather-adaptive.wgsl) with f32 elements: dy and
// indices (output-shaped), dx (input-shaped). Each dx element has one writer, which may read back
// its own partial sum (load_dx) between passes. Indices are bound only where the term reads them.
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

fn load_dy(i: u32) -> f32 { return dy[i - params.outOffset]; }
fn load_index(i: u32) -> i32 { return indices[i - params.outOffset]; }
fn load_dx(i: u32) -> f32 { return dx[i - params.inOffset]; }
fn store_dx(i: u32, v: f32) { dx[i - params.inOffset] = v; }

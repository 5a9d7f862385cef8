// Storage of the global pooling backward kernels (global-backward.wgsl) with f32 elements: dy and
// the forward's indices (one value per plane, ordered n*C + c), and dx (input-shaped). The
// accessors own the split offsets and the element type.
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> dy_indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

fn load_dy(p: u32) -> f32 { return dy[p - params.outOffset]; }
fn load_dy_index(p: u32) -> i32 { return dy_indices[p - params.outOffset]; }
fn store_dx(i: u32, v: f32) { dx[i - params.inOffset] = v; }

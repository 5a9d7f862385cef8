// Storage of the gather (one invocation per dx element) LP backward kernel with f32 elements: dy and
// y (output-shaped), x and dx (input-shaped), each element of dx written by one invocation. The
// accessors own the split offsets (src/host/split.ts binds sub-ranges from inOffset / outOffset).
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;

fn load_dy(i: u32) -> f32 { return dy[i - params.outOffset]; }
fn load_y(i: u32) -> f32 { return y[i - params.outOffset]; }
fn load_x(i: u32) -> f32 { return x[i - params.inOffset]; }
fn store_dx(i: u32, v: f32) { dx[i - params.inOffset] = v; }

// Storage of the fractional max pooling forward (f32 elements): io-forward-f32.wgsl's x, y and
// indices plus the output-shaped window start table (read by map-fractional-forward.wgsl), which shares the
// output's split offset (group 'out' in src/kernels/fractional-pool.ts).
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> indices: array<i32>;
@group(0) @binding(4) var<storage, read> window_starts: array<i32>;

fn load_x(i: u32) -> f32 { return x[i - params.inOffset]; }
fn store_y(i: u32, v: f32) { y[i - params.outOffset] = v; }
fn store_index(i: u32, v: i32) { indices[i - params.outOffset] = v; }
// The window's first position (flat in its volume) of output element i.
fn load_window_start(i: u32) -> i32 { return window_starts[i - params.outOffset]; }

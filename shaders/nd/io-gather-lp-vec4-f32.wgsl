// Storage of the vec4 gather LP backward kernel (channels-last, C % 4 == 0) with f32 elements: dy,
// y (output-shaped), x and dx (input-shaped) as vec4s of four adjacent channels. Offsets are element
// offsets (multiples of 4 for the vec4 accessors, as the split's bound ranges are); the scalar
// accessors let the scalar LP files compile in the same module.
@group(0) @binding(1) var<storage, read> dy: array<vec4f>;
@group(0) @binding(2) var<storage, read> y: array<vec4f>;
@group(0) @binding(3) var<storage, read> x: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> dx: array<vec4f>;

fn load_dy4(i: u32) -> vec4f { return dy[(i - params.outOffset) / 4u]; }
fn load_y4(i: u32) -> vec4f { return y[(i - params.outOffset) / 4u]; }
fn load_x4(i: u32) -> vec4f { return x[(i - params.inOffset) / 4u]; }
fn store_dx4(i: u32, v: vec4f) { dx[(i - params.inOffset) / 4u] = v; }

fn load_dy(i: u32) -> f32 { let j = i - params.outOffset; return dy[j / 4u][j % 4u]; }
fn load_y(i: u32) -> f32 { let j = i - params.outOffset; return y[j / 4u][j % 4u]; }
fn load_x(i: u32) -> f32 { let j = i - params.inOffset; return x[j / 4u][j % 4u]; }
fn store_dx(i: u32, v: f32) { let j = i - params.inOffset; dx[j / 4u][j % 4u] = v; }

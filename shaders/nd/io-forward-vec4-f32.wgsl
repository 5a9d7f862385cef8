// Storage of a channels-last forward kernel (N-d or plane) over four adjacent channels at once (C % 4 == 0),
// f32 elements: x (input-shaped), y and indices (output-shaped), indexed in vec4s. The split
// offsets are in elements and always multiples of 4 here (every split range is whole pixels).
@group(0) @binding(1) var<storage, read> x4: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> y4: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> indices4: array<vec4i>;

fn load_x4(i: u32) -> vec4f { return x4[i - params.inOffset / 4u]; }
fn store_y4(i: u32, v: vec4f) { y4[i - params.outOffset / 4u] = v; }
fn store_index4(i: u32, v: vec4i) { indices4[i - params.outOffset / 4u] = v; }

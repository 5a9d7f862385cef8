// Storage of a scatter (one invocation per dy element) N-d backward kernel with f32 elements. dx is
// seen as atomic words of f32 bits: overlapping windows add into one element from several
// invocations, and WGSL has no float atomics, so the add is a compare-exchange loop. The order of
// the adds depends on scheduling: not bit-reproducible (the gather kernel is).
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> dx: array<atomic<u32>>;

fn load_dy(i: u32) -> f32 { return dy[i - params.outOffset]; }
fn load_index(i: u32) -> i32 { return indices[i - params.outOffset]; }
fn add_dx(i: u32, v: f32) {
  let j = i - params.inOffset;
  var old = atomicLoad(&dx[j]);
  loop {
    let r = atomicCompareExchangeWeak(&dx[j], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) {
      break;
    }
    old = r.old_value;
  }
}

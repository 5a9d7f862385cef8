// Storage of fractional max pooling's backward scatter (f32 elements), as io-scatter-f32.wgsl but
// the compare-exchange add first assumes the element still holds its clear value (+0.0 bits):
// most elements receive one gradient, so one atomic operation instead of a load and an exchange.
// A failed first exchange returns the element's value and the loop goes on from it, as before.
// The first exchange stores bits(0.0 + v), what the load-then-exchange form stores on a cleared
// element (so -0.0 becomes +0.0 either way).
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> dx: array<atomic<u32>>;

fn load_dy(i: u32) -> f32 { return dy[i - params.outOffset]; }
fn load_index(i: u32) -> i32 { return indices[i - params.outOffset]; }
fn add_dx(i: u32, v: f32) {
  let j = i - params.inOffset;
  var old = 0u;
  loop {
    let r = atomicCompareExchangeWeak(&dx[j], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) {
      break;
    }
    old = r.old_value;
  }
}

// Storage of the scatter (one invocation per dy element) LP backward kernel with f32 elements: dy and
// y (output-shaped), x (input-shaped), dx as atomic words of f32 bits added by compare-exchange
// (io-scatter-f32.wgsl): overlapping windows add into one element from several invocations, in an
// order that depends on scheduling (not bit-reproducible; the gather kernel is).
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<atomic<u32>>;

fn load_dy(i: u32) -> f32 { return dy[i - params.outOffset]; }
fn load_y(i: u32) -> f32 { return y[i - params.outOffset]; }
fn load_x(i: u32) -> f32 { return x[i - params.inOffset]; }
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

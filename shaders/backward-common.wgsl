// Shared by the windowed backward kernels (max-pool-backward.wgsl, avg-pool-backward.wgsl).
// dx is binding 3 in every one of them. The scatter entry points see it as `dx_bits`, atomic words
// holding f32 bits, because overlapping windows add into the same element from several
// invocations; the direct and gather entry points, where each element has one writer, see it as
// plain f32. Both views bind the same GPUBuffer; no entry point uses both.

@group(0) @binding(3) var<storage, read_write> dx_bits: array<atomic<u32>>;

// WGSL has no float atomics, so the add goes through compare-exchange on the bits and retries when
// another invocation changed the element in between. The order of the adds, and so the rounding,
// depends on scheduling: this path is not bit-reproducible (the gather one is).
fn atomic_add_dx(i: u32, v: f32) {
  var old = atomicLoad(&dx_bits[i]);
  loop {
    let r = atomicCompareExchangeWeak(&dx_bits[i], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) {
      break;
    }
    old = r.old_value;
  }
}

// The outputs along one axis whose windows have a tap on input position `pos`, as [first, last]
// (empty when first > last). Output o's taps are o*s - pad + t*d for t in [0, k), so o reaches pos
// when o*s lies in [pos + pad - d*(k-1), pos + pad]; callers then keep only the o for which
// (pos + pad - o*s) is a multiple of d. Integer arithmetic with non-negative numerators only, as
// PyTorch's DilatedMaxPool2d.cu and Burn's loop_ranges do: float tests miss taps at the edges.
fn reaching_range(pos: i32, pad: i32, k: i32, s: i32, d: i32, out: i32) -> vec2i {
  let p = pos + pad;
  let earliest_start = p - d * (k - 1);
  let first = select(0, (earliest_start + s - 1) / s, earliest_start > 0);
  let last = min(p / s, out - 1);
  return vec2i(first, last);
}

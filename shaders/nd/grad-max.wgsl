// Gather backward of max pooling: what output `oi` (whose window has a real tap on input position
// `pos`) sends there: its whole gradient when its index is that position, else nothing. The gather
// mapping visits only such outputs, so this is the index rule (docs/semantics.md, "Max pooling,
// backward") seen from the element: an index counts only where it names a tap of its own window.
// Requires: load_dy, load_index (io-gather-*.wgsl).

fn window_gradient(oi: u32, o: NdCoord, pos: i32) -> f32 {
  return select(0.0, load_dy(oi), load_index(oi) == pos);
}

// What dx element i gets from the sum of its windows' gradients: the sum itself (a reduction whose
// gradient has a per-element factor, as LP pooling's, applies it here once).
fn gathered_dx(i: u32, sum: f32) -> f32 {
  return sum;
}

// Gather backward of max pooling: what output `oi` (whose window has a real tap on input position
// `pos`) sends there: its whole gradient when its index is that position, else nothing. The gather
// mapping visits only such outputs, so this is the index rule (docs/semantics.md, "Max pooling,
// backward") seen from the element: an index counts only where it names a tap of its own window.
// Requires: load_dy, load_index (io-gather-*.wgsl).

fn window_gradient(oi: u32, o: vec3i, pos: i32) -> f32 {
  return select(0.0, load_dy(oi), load_index(oi) == pos);
}

// Gather backward of max pooling: what output `oi` (whose window has a tap on input position `pos`)
// sends there: its whole gradient when its argmax is that position, else nothing.
// Requires: load_dy, load_index (io-gather-*.wgsl).

fn window_gradient(oi: u32, o: vec3i, pos: i32) -> f32 {
  return select(0.0, load_dy(oi), load_index(oi) == pos);
}

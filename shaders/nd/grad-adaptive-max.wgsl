// The adaptive max backward's terms (map-gather-adaptive.wgsl visits only outputs whose window holds
// the element): output `oi` sends its whole gradient to input position `pos` when its index is that
// position, else nothing; the index rule (docs/semantics.md, "Max pooling, backward") seen from the
// element. `taps` (the window's size) is unused. Requires: load_dy, load_index (io-gather-adaptive-f32.wgsl).
const NEEDS_DIVISOR: bool = false;

struct AdaptiveOut {
  dy: f32,
  index: i32,
}

fn adaptive_output(oi: u32, taps: i32) -> AdaptiveOut {
  return AdaptiveOut(load_dy(oi), load_index(oi));
}

fn adaptive_term(o: AdaptiveOut, pos: i32) -> f32 {
  return select(0.0, o.dy, o.index == pos);
}

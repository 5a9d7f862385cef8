// Gather backward of max pooling: what output `oi` (whose window has a real tap on input position
// `pos`) sends there: its whole gradient when its index is that position, else nothing. The gather
// mapping visits only such outputs, so this is the index rule (docs/semantics.md, "Max pooling,
// backward") seen from the element: an index counts only where it names a tap of its own window.
// What an output sends is loaded once (sent_by) and applied per element (sent_to), so the near
// gather (map-gather-near.wgsl) loads each reaching output once per cell.
// Provides: Sent, sent_by, nothing_sent, sent_to, window_gradient, gathered_dx.
// Requires: load_dy, load_index (io-gather-*.wgsl).

struct Sent {
  gradient: f32,
  index: i32,
}

fn sent_by(oi: u32, o: NdCoord) -> Sent {
  return Sent(load_dy(oi), load_index(oi));
}

// What a missing output (before the first along an axis) sends: nothing, to any position.
fn nothing_sent() -> Sent {
  return Sent(0.0, -1);
}

fn sent_to(s: Sent, pos: i32) -> f32 {
  return select(0.0, s.gradient, s.index == pos);
}

fn window_gradient(oi: u32, o: NdCoord, pos: i32) -> f32 {
  return sent_to(sent_by(oi, o), pos);
}

// What dx element i gets from the sum of its windows' gradients: the sum itself (a reduction whose
// gradient has a per-element factor, as LP pooling's, applies it here once).
fn gathered_dx(i: u32, sum: f32) -> f32 {
  return sum;
}

// The gradient of global max pooling (derivation eq. 10): a plane's dy goes to the forward's
// argmax only; index -1 (a plane with no candidate) sends it nowhere.
// Provides: PlaneSent, plane_sent, sent_to.
// Requires: load_dy, load_dy_index (io-global-backward.wgsl).

struct PlaneSent {
  gradient: f32,
  index: i32,
}

fn plane_sent(p: u32) -> PlaneSent {
  return PlaneSent(load_dy(p), load_dy_index(p));
}

// What in-plane position `pos` receives.
fn sent_to(s: PlaneSent, pos: u32) -> f32 {
  return select(0.0, s.gradient, s.index == i32(pos));
}

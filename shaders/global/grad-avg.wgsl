// The gradient of global average pooling (derivation eq. 12, read with the input plane size as
// SEMANTICS.md says): every position of a plane receives dy / planeSize.
// Provides: PlaneSent, plane_sent, sent_to.
// Requires: load_dy (io-global-backward.wgsl); the uniform's planeSize.

struct PlaneSent {
  share: f32,
}

fn plane_sent(p: u32) -> PlaneSent {
  return PlaneSent(load_dy(p) / f32(params.planeSize));
}

fn sent_to(s: PlaneSent, pos: u32) -> f32 {
  return s.share;
}

// grad-max.wgsl for four adjacent channels of one output (channels-last, C % 4 == 0): the four
// share the window, and each lane keeps its own index, so the index rule is tested lane by lane.
// Provides: Sent4, sent_by4, sent_to4.
// Requires: load_dy4, load_index4 (a backward io file's vec4 views, indexed in vec4s).

struct Sent4 {
  gradient: vec4f,
  index: vec4i,
}

fn sent_by4(oi4: u32, o: NdCoord) -> Sent4 {
  return Sent4(load_dy4(oi4), load_index4(oi4));
}

fn sent_to4(s: Sent4, pos: i32) -> vec4f {
  return select(vec4f(0.0), s.gradient, s.index == vec4i(pos));
}

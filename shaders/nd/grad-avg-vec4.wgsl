// grad-avg.wgsl for four adjacent channels of one output (channels-last, C % 4 == 0): the divisor
// depends on the window only, so it is worked out once for the four.
// Provides: Sent4, sent_by4, sent_to4.
// Requires: window_divisor (reduce-avg.wgsl); window_taps (a window file); load_dy4 (a backward io
// file's vec4 view, indexed in vec4s).

struct Sent4 {
  share: vec4f,
}

fn sent_by4(oi4: u32, o: NdCoord) -> Sent4 {
  let divisor = window_divisor(window_taps(o));
  return Sent4(select(vec4f(0.0), load_dy4(oi4) / divisor, divisor > 0.0));
}

fn sent_to4(s: Sent4, pos: i32) -> vec4f {
  return s.share;
}

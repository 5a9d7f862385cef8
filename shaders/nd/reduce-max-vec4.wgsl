// The max reduction of the N-d kernels over four channels at once: the rules of reduce-max.wgsl lane
// by lane (order keys, first maximum on ties, the last NaN, start from the first real element; no
// zero padding, which the scalar kernel takes). All lanes share the tap position, so the index too.
// Provides: Acc4, acc4_init, acc4_add, acc4_value, acc4_index.
// Requires: order_key4, kept_key4, takes_max4, EMPTY_MAX_BITS, EMPTY_KEY (common.wgsl).

struct Acc4 {
  bits: vec4u,
  key: vec4i,
  index: vec4i,
}

fn acc4_init() -> Acc4 {
  return Acc4(vec4u(EMPTY_MAX_BITS), vec4i(EMPTY_KEY), vec4i(-1));
}

fn acc4_add(a: ptr<function, Acc4>, v: vec4f, index: i32) {
  let bits = bitcast<vec4u>(v);
  let k = order_key4(bits);
  let take = takes_max4(k, (*a).key);
  // The kept key of a lane that takes is kept_key4(k) >= its old one, and of one that does not it
  // is not above the old one: max picks the right one without a select.
  *a = Acc4(select((*a).bits, bits, take), max((*a).key, kept_key4(k)), select((*a).index, vec4i(index), take));
}

fn acc4_value(a: Acc4, taps: WindowTaps) -> vec4f {
  return bitcast<vec4f>(a.bits);
}

fn acc4_index(a: Acc4) -> vec4i {
  return a.index;
}

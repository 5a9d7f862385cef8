// The partial of global max pooling (derivation eq. 3): the maximum of a plane and its argmax, the
// in-plane position. Scans are first-wins; partials meet out of scan order, so part_merge decides by
// value and position alone (`better`): a NaN beats any number and the later NaN wins; otherwise the
// greater value, and on a tie the earlier position. That is exactly what a sequential first-wins
// scan would pick. Index -1 means "empty". Values are compared as order keys and carried as bits
// (common.wgsl), never as floats, so subnormals survive any adapter; -0 and +0 are a tie, which the
// earlier position wins.
// Provides: Part, part_empty, part_take, better, part_merge, load_part, store_part.
// Requires: the windowed max's running maximum (nd/reduce-max.wgsl: Acc, acc_init, acc_add; a scan
// of a plane takes its positions as a window's taps, first-wins, NaN last-wins); order_key,
// is_nan_key (common.wgsl); load_x, load_x_index, store_y, store_y_index (io-global.wgsl).

// A partial is the running maximum: bits, kept key and index; the empty one's EMPTY_KEY makes the
// first position always taken (a plane of -inf points at 0). Its value is -inf (EMPTY_MAX_BITS is
// left at its default in the global pipelines).
alias Part = Acc;

fn part_empty() -> Part {
  return acc_init();
}

fn part_take(a: ptr<function, Part>, v: f32, index: i32) {
  acc_add(a, v, index);
}

// Whether the pair (bits bv, position bi) beats (av, ai).
fn better(bv: u32, bi: i32, av: u32, ai: i32) -> bool {
  if (bi < 0) {
    return false;
  }
  if (ai < 0) {
    return true;
  }
  let bk = order_key(bv);
  let ak = order_key(av);
  let b_nan = is_nan_key(bk);
  let a_nan = is_nan_key(ak);
  if (b_nan || a_nan) {
    return b_nan && (!a_nan || bi > ai);
  }
  return bk > ak || (bk == ak && bi < ai);
}

// The winner of two partials; no scan continues from a merged partial, so its key is not kept.
fn part_merge(a: Part, b: Part) -> Part {
  if (better(b.bits, b.index, a.bits, a.index)) {
    return b;
  }
  return a;
}

fn load_part(i: u32) -> Part {
  return Part(bitcast<u32>(load_x(i)), 0, load_x_index(i));
}

// A partial and a finished plane are stored alike: the value and its index.
fn store_part(i: u32, a: Part, finished: bool) {
  store_y(i, bitcast<f32>(a.bits));
  store_y_index(i, a.index);
}

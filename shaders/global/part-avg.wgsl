// The partial of global average pooling (derivation eq. 4): a sum of positions; a finished plane
// is its sum over planeSize. Sums meet in the mappings' fixed orders, so results repeat run to run.
// Provides: Part, part_empty, part_take, part_merge, load_part, store_part.
// Requires: load_x, store_y (io-global.wgsl); the uniform's planeSize.

struct Part {
  sum: f32,
}

fn part_empty() -> Part {
  return Part(0.0);
}

fn part_take(a: ptr<function, Part>, v: f32, index: i32) {
  (*a).sum += v;
}

fn part_merge(a: Part, b: Part) -> Part {
  return Part(a.sum + b.sum);
}

fn load_part(i: u32) -> Part {
  return Part(load_x(i));
}

fn store_part(i: u32, a: Part, finished: bool) {
  store_y(i, select(a.sum, a.sum / f32(params.planeSize), finished));
}

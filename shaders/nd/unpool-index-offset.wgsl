// Where a flat in-volume position lands in memory, for the ops whose indices name any position of
// their (n, c) volume (max-unpooling, fractional max pooling's backward): element (n, c, v) of a
// tensor whose volumes hold `volume` elements, in either memory order.
// Provides: index_offset. Requires: nd-layout.wgsl (CHANNELS_LAST, params.C).

fn index_offset(n: i32, c: i32, v: i32, volume: i32) -> u32 {
  if (CHANNELS_LAST) {
    return u32((n * volume + v) * params.C + c);
  }
  return u32((n * params.C + c) * volume + v);
}

fn volume_of(size: vec3i) -> i32 {
  return size.x * size.y * size.z;
}

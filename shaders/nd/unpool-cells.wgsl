// The stride cell test of max-unpooling's fast path (unpool-write.wgsl, unpool-write-vec4.wgsl).
// Requires: nd-layout.wgsl (strides, pad_begin).

// The cell's extent along D and H when fixed at pipeline creation (the pool's stride, small: the
// scan below unrolls), 0 to read it from the uniform.
override CELL_D: i32 = 0;
override CELL_H: i32 = 0;

// Whether flat position idx of y's volume lies in the stride cell of x position p: one test of the
// column range per row of the cell inside y.
fn in_own_cell(idx: i32, p: vec3i, o: vec3i) -> bool {
  let s = strides();
  let lo = p * s - pad_begin();
  let w0 = max(lo.z, 0);
  let w1 = min(lo.z + s.z, o.z);
  let nd = select(s.x, CELL_D, CELL_D > 0);
  let nh = select(s.y, CELL_H, CELL_H > 0);
  var found = false;
  for (var dd = 0; dd < nd; dd++) {
    let d = lo.x + dd;
    for (var dh = 0; dh < nh; dh++) {
      let h = lo.y + dh;
      let w = idx - (d * o.y + h) * o.z;
      found = found || (d >= 0 && d < o.x && h >= 0 && h < o.y && w >= w0 && w < w1);
    }
  }
  return found;
}

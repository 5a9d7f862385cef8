// Per-call values of the global (whole-plane) kernels. Mirrored in src/kernels/plane-params.ts;
// test/uniforms.test.ts checks the two stay identical.
// A plane is one (n, c); planes are numbered p = n * C + c in both layouts.

override NHWC: bool = false;

struct PlaneParams {
  planes: u32,
  C: u32,
  planeSize: u32,
  chunkSize: u32,
  chunks: u32,
}

@group(0) @binding(0) var<uniform> params: PlaneParams;

fn plane_offset(p: u32, s: u32) -> u32 {
  if (NHWC) {
    return ((p / params.C) * params.planeSize + s) * params.C + p % params.C;
  }
  return p * params.planeSize + s;
}

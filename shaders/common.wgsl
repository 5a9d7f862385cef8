// Shared prelude, prepended to every kernel file by src/kernels/kernel.ts.
// Thread mapping: a dispatch may exceed 65,535 workgroups in x, so the host spreads workgroups over
// (x, y) and every kernel recovers one linear workgroup / invocation index from both.

override WG: u32 = 64;

fn linear_workgroup(wid: vec3u, nwg: vec3u) -> u32 {
  return wid.y * nwg.x + wid.x;
}

fn linear_invocation(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return linear_workgroup(wid, nwg) * WG + lid.x;
}

// Written from bits because WGSL lets compilers assume no NaN or infinity in float arithmetic.
fn is_nan(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

// A `var`, not a literal: constant expressions may not produce infinity in WGSL.
fn negative_infinity() -> f32 {
  var bits = 0xff800000u;
  return bitcast<f32>(bits);
}

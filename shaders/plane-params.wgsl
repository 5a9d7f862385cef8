// Per-call values of the global (whole-plane) kernels. The struct PlaneParams and its
// binding 0 `params` are generated from the field list in src/kernels/plane-params.ts.
// A plane is one (n, c); planes are numbered p = n * C + c in both layouts.
// A dispatch covers domain indices [base, end) (planes, chunk workgroups or elements, per entry
// point). As in pool-params.wgsl, a split dispatch binds sub-ranges: the input-side tensors from
// element inOffset, the output side from element outOffset (src/host/split.ts); unsplit all are 0.

override NHWC: bool = false;


fn domain_invocation(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return params.base + linear_invocation(wid, nwg, lid);
}

fn domain_workgroup(wid: vec3u, nwg: vec3u) -> u32 {
  return params.base + linear_workgroup(wid, nwg);
}

// The (plane, chunk) that chunk-pass workgroup g reduces; its partial goes to p * chunks + k. NCHW
// numbers them plane-major. NHWC numbers them image, chunk, then channel: the workgroups of one
// (image, chunk) then read one contiguous block of the image, which a split dispatch can bind alone.
fn chunk_of(g: u32) -> vec2u {
  if (NHWC) {
    let c = g % params.C;
    let nk = g / params.C;
    return vec2u((nk / params.chunks) * params.C + c, nk % params.chunks);
  }
  return vec2u(g / params.chunks, g % params.chunks);
}

// Positions [begin, end) of a plane that chunk k covers.
fn chunk_positions(k: u32) -> vec2u {
  let begin = k * params.chunkSize;
  return vec2u(begin, min(begin + params.chunkSize, params.planeSize));
}

fn plane_offset(p: u32, s: u32) -> u32 {
  if (NHWC) {
    return ((p / params.C) * params.planeSize + s) * params.C + p % params.C;
  }
  return p * params.planeSize + s;
}

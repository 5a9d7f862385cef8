// Per-call values of every windowed kernel (forward and backward). The struct PoolParams and its
// binding 0 `params` are generated from the field list in src/kernels/pool-params.ts.
// A dispatch covers domain indices [base, end) (outputs, or inputs for gather). When a tensor is
// larger than one storage binding may be, the host splits the domain over several dispatches and
// binds each a sub-range of the buffers (src/host/split.ts): the input-shaped tensors (x, dx) from
// element inOffset, the output-shaped ones (y, indices, dy) from element outOffset. Unsplit, base
// and both offsets are 0.
override NHWC: bool = false;


// The domain index of this invocation.
fn domain_index(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return params.base + linear_invocation(wid, nwg, lid);
}

// Offset of element (n, c, h, w) of a [N, C, rows, cols] tensor stored NCHW or NHWC.
fn tensor_offset(n: i32, c: i32, h: i32, w: i32, rows: i32, cols: i32) -> u32 {
  if (NHWC) {
    return u32(((n * rows + h) * cols + w) * params.C + c);
  }
  return u32(((n * params.C + c) * rows + h) * cols + w);
}

// Inverse of tensor_offset for a linear element index.
fn tensor_coords(i: u32, rows: i32, cols: i32) -> vec4i {
  let j = i32(i);
  if (NHWC) {
    let c = j % params.C;
    let w = (j / params.C) % cols;
    let h = (j / (params.C * cols)) % rows;
    return vec4i(j / (params.C * cols * rows), c, h, w);
  }
  let w = j % cols;
  let h = (j / cols) % rows;
  let c = (j / (cols * rows)) % params.C;
  return vec4i(j / (cols * rows * params.C), c, h, w);
}

// Coordinates (n, c, h, w) of vec4 index i of an NHWC [N, C, rows, cols] tensor with C % 4 == 0,
// c being the first of its four channels (the vec4 kernels count their domain in vec4s).
fn channel_group_coords(i: u32, rows: i32, cols: i32) -> vec4i {
  let groups = params.C / 4;
  let j = i32(i);
  let c = (j % groups) * 4;
  let w = (j / groups) % cols;
  let h = (j / (groups * cols)) % rows;
  return vec4i(j / (groups * cols * rows), c, h, w);
}

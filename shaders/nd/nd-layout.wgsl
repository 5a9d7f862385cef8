// Layout of the N-d kernels: tensors of logical shape [N, C, D, H, W] (a rank-1 or rank-2 op has
// leading axes of size 1), stored channel-first, or channels-last when CHANNELS_LAST. Positions are
// vec3i (d, h, w). The NdCoord and WindowTaps records, and volume_position, are window-record.wgsl's.
// Requires: the NdParams uniform `params` (generated from src/kernels/nd-params.ts), NdCoord and
// volume_position (window-record.wgsl).
override CHANNELS_LAST: bool = false;

fn in_size() -> vec3i { return vec3i(params.inD, params.inH, params.inW); }
fn out_size() -> vec3i { return vec3i(params.outD, params.outH, params.outW); }
fn kernel_size() -> vec3i { return vec3i(params.kD, params.kH, params.kW); }
fn strides() -> vec3i { return vec3i(params.sD, params.sH, params.sW); }
fn dilations() -> vec3i { return vec3i(params.dD, params.dH, params.dW); }
fn pad_begin() -> vec3i { return vec3i(params.pbD, params.pbH, params.pbW); }
fn pad_end() -> vec3i { return vec3i(params.peD, params.peH, params.peW); }


// Offset of element (n, c, p) of a tensor whose spatial size is `size`.
fn nd_offset(n: i32, c: i32, p: vec3i, size: vec3i) -> u32 {
  let v = volume_position(p, size);
  if (CHANNELS_LAST) {
    return u32((n * size.x * size.y * size.z + v) * params.C + c);
  }
  return u32((n * params.C + c) * size.x * size.y * size.z + v);
}

// Inverse of nd_offset for a linear element index.
fn nd_coords(i: u32, size: vec3i) -> NdCoord {
  let j = i32(i);
  let volume = size.x * size.y * size.z;
  var n: i32;
  var c: i32;
  var v: i32;
  if (CHANNELS_LAST) {
    c = j % params.C;
    let pixel = j / params.C;
    v = pixel % volume;
    n = pixel / volume;
  } else {
    v = j % volume;
    let plane = j / volume;
    c = plane % params.C;
    n = plane / params.C;
  }
  let w = v % size.z;
  let h = (v / size.z) % size.y;
  return NdCoord(n, c, vec3i(v / (size.z * size.y), h, w));
}

// Element step between neighbouring positions of one (n, c) volume, and the offset of its position 0.
fn position_step() -> u32 {
  return select(1u, u32(params.C), CHANNELS_LAST);
}

fn volume_base(n: i32, c: i32, size: vec3i) -> u32 {
  return nd_offset(n, c, vec3i(0), size);
}

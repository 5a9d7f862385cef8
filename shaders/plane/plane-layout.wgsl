// The plane kernels' view of their [N, C, H, W] tensors as the N-d layout functions the window
// (nd/window-regular.wgsl) and the window scans (nd/window-scan.wgsl, nd/window-scan-vec4.wgsl)
// need: a plane is a volume of depth 1, its kernel, stride and dilation read through
// window-constants.wgsl (so a specialised or undilated pipeline folds them). With these the plane
// and N-d kernels share one window, scan, tap rule and padding rule.
// Provides: in_size, kernel_size, strides, dilations, pad_begin, pad_end, position_step,
// volume_base, plane_window_taps (volume_position is nd/window-record.wgsl's). Requires: the
// PoolParams uniform `params`, pool-params.wgsl (NHWC, tensor_offset), window-constants.wgsl;
// window_taps (nd/window-regular.wgsl) for plane_window_taps.

fn in_size() -> vec3i { return vec3i(1, params.H, params.W); }
fn kernel_size() -> vec3i { return vec3i(1, window_kh(), window_kw()); }
fn strides() -> vec3i { return vec3i(1, window_sh(), window_sw()); }
fn dilations() -> vec3i { return vec3i(1, window_dh(), window_dw()); }
fn pad_begin() -> vec3i { return vec3i(0, params.padTop, params.padLeft); }
fn pad_end() -> vec3i { return vec3i(0, params.padBottom, params.padRight); }

// The window of plane output (oh, ow); a regular window is the same for every (n, c).
fn plane_window_taps(oh: i32, ow: i32) -> WindowTaps {
  return window_taps(NdCoord(0, 0, vec3i(0, oh, ow)));
}

// Element step between neighbouring positions of one (n, c) plane, and the offset of its position 0.
fn position_step() -> u32 {
  return select(1u, u32(params.C), NHWC);
}

fn volume_base(n: i32, c: i32, size: vec3i) -> u32 {
  return tensor_offset(n, c, 0, 0, params.H, params.W);
}

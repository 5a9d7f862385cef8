// The plane kernels' view of their [N, C, H, W] tensors as the N-d layout functions the window
// scans need (nd/window-scan.wgsl, nd/window-scan-vec4.wgsl): a plane is a volume of depth 1, its
// dilation read through window-constants.wgsl (so an undilated pipeline folds it). With these the
// plane and N-d forward mappings share one scan, tap rule and padding rule.
// Provides: in_size, dilations, position_step, volume_base (volume_position is
// nd/window-record.wgsl's). Requires: the PoolParams uniform `params`, pool-params.wgsl (NHWC,
// tensor_offset), window-constants.wgsl.

fn in_size() -> vec3i { return vec3i(1, params.H, params.W); }
fn dilations() -> vec3i { return vec3i(1, window_dh(), window_dw()); }

// Element step between neighbouring positions of one (n, c) plane, and the offset of its position 0.
fn position_step() -> u32 {
  return select(1u, u32(params.C), NHWC);
}

fn volume_base(n: i32, c: i32, size: vec3i) -> u32 {
  return tensor_offset(n, c, 0, 0, params.H, params.W);
}

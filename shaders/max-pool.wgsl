// Max pooling forward (derivation eq. 1), one invocation per output element.
// The window is scanned row-major (ky outer, kx inner); an element replaces the running maximum when
// it is greater, when it is NaN (so the last NaN wins), or when nothing real was seen yet (so a
// window of -inf still points at its first real element). Ties keep the first position.
// Padded positions are skipped, or read as 0 when PAD_ZERO (the derivation's zero padding); a
// padded zero that wins has index -1, since no input element receives its gradient. A ceil-mode
// overhang past the declared end padding is never part of the window.

override PAD_ZERO: bool = false;

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> indices: array<i32>;

struct Best {
  value: f32,
  index: i32,
}

fn window_max(o: vec4i) -> Best {
  if (PAD_ZERO) {
    return window_max_zero_padded(o);
  }
  let h0 = o.z * params.sH - params.padTop;
  let w0 = o.w * params.sW - params.padLeft;
  let rows = real_taps(h0, params.kH, params.dH, params.H);
  let cols = real_taps(w0, params.kW, params.dW, params.W);
  if (rows.x >= rows.y || cols.x >= cols.y) {
    return Best(negative_infinity(), -1);
  }
  // Start from the first real element, so an all -inf window still points at it.
  let first_h = h0 + rows.x * params.dH;
  let first_w = w0 + cols.x * params.dW;
  var best = Best(x[tensor_offset(o.x, o.y, first_h, first_w, params.H, params.W) - params.inOffset], first_h * params.W + first_w);
  for (var ky = rows.x; ky < rows.y; ky++) {
    let h = h0 + ky * params.dH;
    for (var kx = cols.x; kx < cols.y; kx++) {
      let w = w0 + kx * params.dW;
      let v = x[tensor_offset(o.x, o.y, h, w, params.H, params.W) - params.inOffset];
      if (v > best.value || is_nan(v)) {
        best = Best(v, h * params.W + w);
      }
    }
  }
  return best;
}

// The derivation's zero padding: padded positions inside the declared padding compete as 0.
fn window_max_zero_padded(o: vec4i) -> Best {
  var best = Best(negative_infinity(), -1);
  var seen = false;
  let h0 = o.z * params.sH - params.padTop;
  let w0 = o.w * params.sW - params.padLeft;
  for (var ky = 0; ky < params.kH; ky++) {
    let h = h0 + ky * params.dH;
    let row_inside = h >= 0 && h < params.H;
    let row_in_padding = h >= -params.padTop && h < params.H + params.padBottom;
    for (var kx = 0; kx < params.kW; kx++) {
      let w = w0 + kx * params.dW;
      if (row_inside && w >= 0 && w < params.W) {
        let v = x[tensor_offset(o.x, o.y, h, w, params.H, params.W) - params.inOffset];
        if (v > best.value || is_nan(v) || !seen) {
          best = Best(v, h * params.W + w);
        }
        seen = true;
      } else if (row_in_padding && w >= -params.padLeft && w < params.W + params.padRight) {
        // A padded zero competes like a real element but carries no index.
        if (0.0 > best.value || !seen) {
          best = Best(0.0, -1);
        }
        seen = true;
      }
    }
  }
  return best;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  y[i - params.outOffset] = window_max(tensor_coords(i, params.outH, params.outW)).value;
}

@compute @workgroup_size(WG)
fn main_with_indices(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = domain_index(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let best = window_max(tensor_coords(i, params.outH, params.outW));
  y[i - params.outOffset] = best.value;
  indices[i - params.outOffset] = best.index;
}

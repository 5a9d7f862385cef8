// The per-window divisor of average pooling, shared by the forward and backward kernels so both
// divide by exactly the same number (TF.js does not, and is wrong at padded edges).
// PyTorch's rule: the window clipped to [-pad, in + pad) when padding counts; a ceil-mode overhang
// past the end padding never counts.

override COUNT_PAD: bool = true;

fn window_divisor(oh: i32, ow: i32) -> f32 {
  if (params.divisorOverride != 0) {
    return f32(params.divisorOverride);
  }
  let h0 = oh * params.sH - params.padTop;
  let w0 = ow * params.sW - params.padLeft;
  let h1 = min(h0 + params.kH, params.H + params.padBottom);
  let w1 = min(w0 + params.kW, params.W + params.padRight);
  // The product in f32: each factor fits i32, their product need not (a 65,536 x 65,536 window).
  if (COUNT_PAD) {
    return f32(h1 - h0) * f32(w1 - w0);
  }
  return f32(min(h1, params.H) - max(h0, 0)) * f32(min(w1, params.W) - max(w0, 0));
}

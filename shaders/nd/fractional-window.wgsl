// The taps of a fractional max pooling window, shared by map-fractional-forward.wgsl and its vec4
// form: the window of flat start `start` (in its volume) whose position p is x's element
// base + p·step, every tap real (the host checked start + k <= in on every axis), in scan order
// (first axis outermost) through max pooling's reduction with the flat positions as indices.
// K_D, K_H, K_W: the kernel when fixed at pipeline creation, 0 to read it from the uniform. With
// every extent fixed and at most 3 the taps are straight-line code (the constants fold the
// branches away), else a loop nest. Straight-line taps alone measured no faster, but with the full
// groups of map-fractional-forward.wgsl they are what makes the form 4x faster on SwiftShader
// (with the loop nest and full groups: no faster; docs/unpool-fractional.md, Performance).
// Provides: K_D, K_H, K_W, fractional_window. Requires: nd-layout.wgsl (params), reduce-max.wgsl,
// load_x.
override K_D: i32 = 0;
override K_H: i32 = 0;
override K_W: i32 = 0;

fn fractional_straight() -> bool {
  return K_D > 0 && K_D <= 3 && K_H > 0 && K_H <= 3 && K_W > 0 && K_W <= 3;
}

fn fractional_tap(acc: ptr<function, Acc>, base: u32, step: u32, pos: i32) {
  acc_add(acc, load_x(base + u32(pos) * step), pos);
}

fn fractional_row(acc: ptr<function, Acc>, base: u32, step: u32, pos: i32) {
  fractional_tap(acc, base, step, pos);
  if (K_W > 1) {
    fractional_tap(acc, base, step, pos + 1);
  }
  if (K_W > 2) {
    fractional_tap(acc, base, step, pos + 2);
  }
}

fn fractional_plane(acc: ptr<function, Acc>, base: u32, step: u32, pos: i32) {
  fractional_row(acc, base, step, pos);
  if (K_H > 1) {
    fractional_row(acc, base, step, pos + params.inW);
  }
  if (K_H > 2) {
    fractional_row(acc, base, step, pos + 2 * params.inW);
  }
}

fn fractional_window(start: i32, base: u32, step: u32) -> Acc {
  var acc = acc_init();
  if (fractional_straight()) {
    let HW = params.inH * params.inW;
    fractional_plane(&acc, base, step, start);
    if (K_D > 1) {
      fractional_plane(&acc, base, step, start + HW);
    }
    if (K_D > 2) {
      fractional_plane(&acc, base, step, start + 2 * HW);
    }
    return acc;
  }
  let kd_n = select(params.kD, K_D, K_D > 0);
  let kh_n = select(params.kH, K_H, K_H > 0);
  let kw_n = select(params.kW, K_W, K_W > 0);
  let W = params.inW;
  let HW = params.inH * W;
  var pos_d = start;
  for (var kd = 0; kd < kd_n; kd++) {
    var pos_h = pos_d;
    for (var kh = 0; kh < kh_n; kh++) {
      for (var kw = 0; kw < kw_n; kw++) {
        fractional_tap(&acc, base, step, pos_h + kw);
      }
      pos_h += W;
    }
    pos_d += HW;
  }
  return acc;
}

/** Random pooling windows for the seeded test suites: every padding form, dilation, ceil mode. */
import { resolveMaxPool } from '../../src/params.js';
import type { Layout, Padding } from '../../src/types.js';
import { pick, randomInt } from './random.js';

export type Shape = [number, number, number, number];

export interface WindowOptions {
  kernelSize: [number, number];
  stride: [number, number];
  padding: Padding;
  dilation: [number, number];
  ceilMode: boolean;
}

export interface WindowConfig extends WindowOptions {
  shape: Shape;
  layout: Layout;
}

/**
 * Draws shapes from `drawShape` and windows over them until one passes validation (pads below the
 * effective kernel, output >= 1). Kernels 1–5, strides 1–4, dilation 1–3 when allowed; padding
 * none, [pH, pW], [top, left, bottom, right], 'same' or 'valid'; ceil mode 40 % of the time.
 */
export function randomWindow(rand: () => number, drawShape: () => Shape, allowDilation: boolean): WindowConfig {
  for (;;) {
    const shape = drawShape();
    const kernelSize: [number, number] = [randomInt(rand, 1, 5), randomInt(rand, 1, 5)];
    const stride: [number, number] = [randomInt(rand, 1, 4), randomInt(rand, 1, 4)];
    const dilation: [number, number] = allowDilation && rand() < 0.3 ? [randomInt(rand, 1, 3), randomInt(rand, 1, 3)] : [1, 1];
    const eH = dilation[0] * (kernelSize[0] - 1) + 1;
    const eW = dilation[1] * (kernelSize[1] - 1) + 1;
    const kind = rand();
    let padding: Padding;
    if (kind < 0.25) padding = 0;
    else if (kind < 0.45) padding = [randomInt(rand, 0, eH - 1), randomInt(rand, 0, eW - 1)];
    else if (kind < 0.75) padding = [randomInt(rand, 0, eH - 1), randomInt(rand, 0, eW - 1), randomInt(rand, 0, eH - 1), randomInt(rand, 0, eW - 1)];
    else if (kind < 0.9) padding = 'same';
    else padding = 'valid';
    const ceilMode = rand() < 0.4;
    const layout = pick(rand, ['NCHW', 'NHWC'] as const);
    try {
      resolveMaxPool('test', shape, { kernelSize, stride, padding, dilation, ceilMode });
      return { shape, layout, kernelSize, stride, padding, dilation, ceilMode };
    } catch {
      // invalid draw (output < 1): draw again
    }
  }
}

/** The options of a drawn window, without its shape and layout. */
export function windowOptions({ shape: _shape, layout: _layout, ...options }: WindowConfig): WindowOptions {
  return options;
}

/** Shape and window for a test name (the layout is named by the caller where it varies). */
export function describeWindow(c: WindowConfig): string {
  return `${c.shape.join('x')} k${c.kernelSize.join('x')} s${c.stride.join('x')} p${JSON.stringify(c.padding)} d${c.dilation.join('x')}${c.ceilMode ? ' ceil' : ''}`;
}

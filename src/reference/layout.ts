import { invalid } from '../errors.js';
import type { Layout } from '../types.js';

/** Maps a logical (n, c, h, w) to its flat position in a tensor of logical shape [N, C, H, W]. */
export type OffsetFn = (n: number, c: number, h: number, w: number) => number;

export function offsetFn(layout: Layout, N: number, C: number, H: number, W: number): OffsetFn {
  void N; // offsets never need N; taking it lets call sites pass the whole logical shape
  if (layout === 'NCHW') return (n, c, h, w) => ((n * C + c) * H + h) * W + w;
  if (layout === 'NHWC') return (n, c, h, w) => ((n * H + h) * W + w) * C + c;
  return invalid('reference', 'layout', layout, "must be 'NCHW' or 'NHWC'");
}

/** A wrong length would otherwise read undefined as NaN and silently corrupt the reference. */
export function checkLength(op: string, name: string, data: ArrayLike<number>, shape: readonly number[]): void {
  const want = shape.reduce((a, b) => a * b, 1);
  if (data.length !== want) invalid(op, name, data, `length must be ${want} for shape [${shape.join(', ')}]`);
}

/**
 * Where one tap of a pooling window falls along one axis. 'pad' is the declared padding; 'outside'
 * is the ceil-mode overhang beyond the end padding, which never counts for anything (PyTorch's
 * `min(start + k, in + pad)`).
 */
export type TapKind = 'real' | 'pad' | 'outside';

export function tapKind(pos: number, size: number, padBegin: number, padEnd: number): TapKind {
  if (pos >= 0 && pos < size) return 'real';
  if (pos >= -padBegin && pos < size + padEnd) return 'pad';
  return 'outside';
}

/** Input coordinate of tap k of output position o along one axis. */
export function tapPosition(o: number, stride: number, padBegin: number, k: number, dilation: number): number {
  return o * stride - padBegin + k * dilation;
}

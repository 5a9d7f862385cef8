import { invalid } from '../errors.js';

/** The kernels index without bounds checks of their own; a wrong length must fail loudly instead. */
export function checkLength(op: string, name: string, data: ArrayLike<number>, want: number): void {
  if (data.length !== want) invalid(op, name, data, `length must be ${want}`);
}

/**
 * The one error type the library throws. Every argument problem is found before anything is
 * dispatched; GPU-side failures (validation, out-of-memory, device loss) are wrapped with the
 * original error kept as `cause`.
 */
export class PoolingError extends Error {
  override readonly name = 'PoolingError';
  /** The operation that failed, e.g. 'maxPool2d'. */
  readonly op: string;
  /** The option or argument at fault, e.g. 'stride'; undefined for GPU-side failures. */
  readonly option: string | undefined;

  constructor(op: string, option: string | undefined, message: string, options?: { cause?: unknown }) {
    super(`${op}: ${message}`, options);
    this.op = op;
    this.option = option;
  }
}

/** Formats a caller's value for an error message without throwing on odd inputs. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) {
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (typeof value === 'object') return Object.prototype.toString.call(value);
  return typeof value;
}

/** Throws a PoolingError that names the op, the option, the value and the rule broken. */
export function invalid(op: string, option: string, value: unknown, rule: string): never {
  throw new PoolingError(op, option, `invalid ${option} = ${describeValue(value)}: ${rule}`);
}

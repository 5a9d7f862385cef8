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

/** Formats a caller's value for an error message without throwing on odd inputs (cycles, getters, holes). */
export function describeValue(value: unknown, depth = 0): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) {
    return String(value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object') return typeof value;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (depth >= 2) return Array.isArray(value) ? `Array(${value.length})` : 'Object';
  try {
    // Array.from visits the holes of a sparse array, which map() would keep as holes.
    if (Array.isArray(value)) return value.length > 16 ? `Array(${value.length})` : `[${Array.from(value, (v) => describeValue(v, depth + 1)).join(', ')}]`;
    if (Object.getPrototypeOf(value) === Object.prototype) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) return '{}';
      return entries.length <= 8 ? `{ ${entries.map(([k, v]) => `${k}: ${describeValue(v, depth + 1)}`).join(', ')} }` : 'Object';
    }
  } catch {
    // A throwing getter or proxy: fall through to the type tag.
  }
  return Object.prototype.toString.call(value);
}

/** Throws a PoolingError that names the op, the option, the value and the rule broken. */
export function invalid(op: string, option: string, value: unknown, rule: string): never {
  throw new PoolingError(op, option, `invalid ${option} = ${describeValue(value)}: ${rule}`);
}

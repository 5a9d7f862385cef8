/**
 * GPU errors caught where they happen: validation and out-of-memory scopes pushed and popped
 * synchronously around one call's GPU work, so concurrent calls never pick up each other's errors,
 * and a scope's error turned into a PoolingError with the GPU's error as `cause`.
 */
import { PoolingError } from '../errors.js';

/** GPU calls made synchronously inside error scopes: what they returned or threw, and the scopes' verdict. */
export interface Scoped<T> {
  value?: T;
  thrown?: unknown;
  /** The validation error, else the out-of-memory error, else null; never rejects. */
  gpuError: Promise<ScopeError | null>;
}

export interface ScopeError {
  kind: 'validation' | 'out-of-memory';
  error: GPUError;
  message: string;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs `body` between synchronous pushes and pops of the error scopes. */
export function scoped<T>(device: GPUDevice, body: () => T): Scoped<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const r: Partial<Scoped<T>> = {};
  try {
    r.value = body();
  } catch (e) {
    r.thrown = e;
  }
  const validation = device.popErrorScope();
  const oom = device.popErrorScope();
  r.gpuError = Promise.all([validation, oom]).then(
    ([v, o]): ScopeError | null => (v ? { kind: 'validation', error: v, message: v.message } : o ? { kind: 'out-of-memory', error: o, message: o.message } : null),
    // Popping fails only when the scopes were not ours to pop; report it like a validation error.
    (e: unknown): ScopeError => ({ kind: 'validation', error: e as GPUError, message: errorMessage(e) }),
  );
  return r as Scoped<T>;
}

export function gpuFailure(op: string, e: ScopeError): PoolingError {
  return new PoolingError(op, undefined, `GPU ${e.kind} error: ${e.message}`, { cause: e.error });
}

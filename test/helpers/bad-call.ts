/**
 * An invalid call and what its PoolingError must say (op, option, value, rule), and the check the
 * validation suites run on it: it rejects with that error and issues no GPU queue operation.
 */
import { expect } from 'vitest';
import { PoolingError } from '../../src/errors.js';
import type { Pooling } from '../../src/index.js';

export interface BadCall {
  name: string;
  op: string;
  option: string;
  value: string;
  rule: RegExp;
  call: (p: Pooling) => unknown;
}

/** Runs the call on `p`; `queueCalls` counts the GPU queue operations issued so far. */
export async function expectRejected(b: BadCall, p: Pooling, queueCalls: () => number): Promise<void> {
  const before = queueCalls();
  let error: unknown;
  try {
    await b.call(p);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PoolingError);
  const e = error as PoolingError;
  expect(e.op).toBe(b.op);
  expect(e.option).toBe(b.option);
  expect(e.message).toContain(b.op);
  expect(e.message).toContain(b.option);
  expect(e.message).toContain(b.value);
  expect(e.message).toMatch(b.rule);
  expect(queueCalls() - before, 'queue operations issued by the failed call').toBe(0);
}

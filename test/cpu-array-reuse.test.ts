/**
 * The CPU backend reuses its kernels' output arrays (src/cpu/host-arrays.ts): a destroyed tensor's
 * array serves the next output of its size. Reused arrays hold old values, so every result must
 * still be the reference's; and an array must not be reused while an op or a read still uses it
 * (its tensor destroyed before they finished).
 */
import { describe, expect, it } from 'vitest';
import { createPooling } from '../src/index.js';
import { pooledHostBytes } from '../src/cpu/host-arrays.js';
import { resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import { expectBitExact } from './helpers/compare.js';
import { randomData, seededRandom } from './helpers/random.js';

const opts = { kernelSize: 3, stride: 2, padding: 1 };

describe('reused output arrays', () => {
  it('op, read, destroy, again with other data: the reference every time, arrays reused', async () => {
    const pool = await createPooling({ backend: 'cpu', threads: 1 });
    const shape = [1, 16, 90, 90];
    const p = resolveMaxPool('maxPool2d', shape, opts);
    for (const layout of ['NCHW', 'NHWC'] as const) {
      for (let r = 0; r < 6; r++) {
        const x = randomData(seededRandom(100 + r), shape.reduce((a, b) => a * b));
        const t = pool.tensor(x, shape, { layout });
        const { output, indices } = await pool.maxPool2d(t, { ...opts, returnIndices: true });
        const want = ref.maxPool2dForward(x, layout, p);
        expectBitExact(await output.read(), want.output, `${layout} round ${r} values`);
        expectBitExact(await indices.read(), want.indices, `${layout} round ${r} indices`);
        output.destroy();
        indices.destroy();
        t.destroy();
        expect(pooledHostBytes()).toBeGreaterThan(0);
      }
    }
    pool.destroy();
  });

  it('an output destroyed while it is read is not reused before the read finishes', async () => {
    const pool = await createPooling({ backend: 'cpu', threads: 1 });
    // k1 s1: outputs as large as inputs; 640 K elements: a read that yields between slices.
    const shape = [4, 16, 100, 100];
    const one = { kernelSize: 1, stride: 1 };
    const n = shape.reduce((a, b) => a * b);
    const x = randomData(seededRandom(7), n);
    const y = randomData(seededRandom(8), n);
    const tx = pool.tensor(x, shape);
    const ty = pool.tensor(y, shape);
    // Once, so that the next calls of this kind run whole (their time is known).
    (await pool.maxPool2d(tx, one)).output.destroy();
    for (let r = 0; r < 4; r++) {
      const a = (await pool.maxPool2d(tx, one)).output;
      const reading = a.read();
      a.destroy();
      // An op whose output is a's size, while a's read is still copying.
      const b = (await pool.maxPool2d(ty, one)).output;
      expectBitExact(await reading, x, `round ${r}: the read of a destroyed output`);
      expectBitExact(await b.read(), y, `round ${r}: the op after it`);
      b.destroy();
    }
    pool.destroy();
  });
});

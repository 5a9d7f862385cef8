/**
 * Concurrency: dozens of ops in flight at once (Promise.all) with reads interleaved, the same
 * tensor read many times at once, a tensor destroyed while the op using it is pending, and two
 * contexts sharing one device, interleaved; every result matches the reference.
 */
import { describe, expect, it } from 'vitest';
import { createPooling, type Pooling, type Tensor } from '../src/index.js';
import { compare, expected, randomValidCase, runCase, seededRandom, type ValidCase } from './fuzz/cases.js';
import { useGpuPool } from './helpers/gpu.js';

const pool = useGpuPool();
const deviceOf = (p: Pooling) => (p.impl as unknown as { device: GPUDevice }).device;

function cases(seed: number, n: number): ValidCase[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => randomValidCase(rand));
}

describe('many ops in flight', () => {
  it('64 random cases of every op at once (each an upload, one or two ops and reads) match the reference', async () => {
    const all = cases(1, 64);
    // The fuzz generator draws all 16 ops (eight of them forward).
    expect(new Set(all.map((c) => c.op)).size).toBe(16);
    const results = await Promise.all(all.map((c) => runCase(pool(), c)));
    results.forEach((r, i) => expect(compare(r, expected(all[i]!)), `case ${i}: ${all[i]!.op}`).toBeNull());
  });

  it('48 ops on one tensor issued together, reads issued while they are still pending', async () => {
    const p = pool();
    const data = Float32Array.from({ length: 3 * 4 * 10 * 9 }, (_, i) => Math.sin(i * 0.37));
    const x = p.tensor(data, [3, 4, 10, 9], { layout: 'NHWC' });
    const pending: Promise<Tensor>[] = [];
    const reads: Promise<Float32Array>[] = [];
    for (let k = 1; k <= 8; k++) {
      for (const stride of [1, 2, 3]) {
        pending.push(p.maxPool2d(x, { kernelSize: [k, 9 - k], stride }).then((r) => r.output));
        pending.push(p.avgPool2d(x, { kernelSize: [k, 9 - k], stride, padding: [Math.floor(k / 2), 0] }));
        // A read of the input between ops: it sees the uploaded data whatever is in flight.
        reads.push(x.read() as Promise<Float32Array>);
      }
    }
    const outputs = await Promise.all(pending);
    expect(outputs).toHaveLength(48);
    for (const r of await Promise.all(reads)) expect(Array.from(r)).toEqual(Array.from(data));
    // Each result against a sequential run of the same op on the CPU backend.
    const cpu = await createPooling({ backend: 'cpu' });
    const cx = cpu.tensor(data, [3, 4, 10, 9], { layout: 'NHWC' });
    let i = 0;
    for (let k = 1; k <= 8; k++) {
      for (const stride of [1, 2, 3]) {
        const wantMax = await (await cpu.maxPool2d(cx, { kernelSize: [k, 9 - k], stride })).output.read();
        const wantAvg = await (await cpu.avgPool2d(cx, { kernelSize: [k, 9 - k], stride, padding: [Math.floor(k / 2), 0] })).read();
        expect(Array.from(await outputs[i++]!.read())).toEqual(Array.from(wantMax));
        const gotAvg = await outputs[i++]!.read();
        Array.from(gotAvg as Float32Array).forEach((v, j) => expect(v).toBeCloseTo(wantAvg[j]!, 5));
      }
    }
    cpu.destroy();
    for (const t of [x, ...outputs]) t.destroy();
  });

  it('the same tensor read 32 times at once gives 32 equal copies', async () => {
    const p = pool();
    const data = Float32Array.from({ length: 4096 }, (_, i) => i);
    const x = p.tensor(data, [1, 4, 32, 32]);
    const copies = await Promise.all(Array.from({ length: 32 }, () => x.read()));
    for (const c of copies) expect(c).toEqual(data);
    copies[0]![0] = -1; // copies are independent
    expect(copies[1]![0]).toBe(0);
    x.destroy();
  });

  it('destroying a tensor right after issuing the op that uses it (not awaited) is safe', async () => {
    const p = pool();
    const data = Float32Array.from({ length: 2 * 8 * 8 }, (_, i) => (i * 7) % 13);
    const results: Promise<Tensor>[] = [];
    for (let i = 0; i < 20; i++) {
      const x = p.tensor(data, [1, 2, 8, 8]);
      results.push(p.avgPool2d(x, { kernelSize: 2 }));
      x.destroy(); // its buffer goes back to the pool and is reused by the next upload at once
    }
    const first = Array.from(await (await results[0]!).read());
    for (const r of results) expect(Array.from(await (await r).read())).toEqual(first);
    expect(first[0]).toBe((data[0]! + data[1]! + data[8]! + data[9]!) / 4);
  });
});

describe('two contexts sharing one device', () => {
  it('interleaved at random, both stay right; tensors do not cross; destroying one leaves the other working', async () => {
    const a = pool();
    const b = await createPooling({ device: deviceOf(a) });
    const all = cases(2, 40);
    const results = await Promise.all(all.map((c, i) => runCase(i % 2 === 0 ? a : b, c)));
    results.forEach((r, i) => expect(compare(r, expected(all[i]!)), `case ${i} on ${i % 2 === 0 ? 'a' : 'b'}`).toBeNull());
    const xa = a.tensor(new Float32Array(16), [1, 1, 4, 4]);
    await expect(b.maxPool2d(xa, { kernelSize: 2 })).rejects.toThrow(/another pooling context/);
    b.destroy();
    const again = cases(3, 8);
    const after = await Promise.all(again.map((c) => runCase(a, c)));
    after.forEach((r, i) => expect(compare(r, expected(again[i]!))).toBeNull());
    xa.destroy();
  });
});

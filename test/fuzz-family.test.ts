/**
 * A seeded fuzz run of the rest of the pooling family (test/fuzz/family.ts): random calls, valid
 * and invalid, of adaptive, LP, max-unpooling, fractional max pooling and the index formats must
 * agree with the reference context on WebGPU (whole bindings and split at a small binding limit)
 * and on the CPU backend: the same answers, or a PoolingError where the reference refuses.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPooling, type Pooling } from '../src/index.js';
import { FAMILY_OPS, fuzzFamily } from './fuzz/family.js';
import { useGpuPool } from './helpers/gpu.js';

const gpu = useGpuPool();
/** A fixed number of seeded calls (about 6 s on SwiftShader); FAMILY_FUZZ_CALLS / FAMILY_FUZZ_SEED run other ones. */
const CALLS = Number(process.env.FAMILY_FUZZ_CALLS ?? 400);
const SEED = Number(process.env.FAMILY_FUZZ_SEED ?? 20261204);
const targets: { name: string; pool: Pooling }[] = [];

beforeAll(async () => {
  const device = (gpu().impl as unknown as { device: GPUDevice }).device;
  targets.push({ name: 'webgpu', pool: gpu() });
  targets.push({ name: 'webgpu-split-64k', pool: await createPooling({ device, maxStorageBufferBindingSize: 65536 }) });
  targets.push({ name: 'cpu', pool: await createPooling({ backend: 'cpu' }) });
});
afterAll(() => {
  for (const t of targets.slice(1)) t.pool.destroy();
});

it(`fuzz ${CALLS} seeded calls of the family: the reference's answers, or its refusals, on every target`, async () => {
  const r = await fuzzFamily({ targets, seed: SEED, calls: CALLS, seconds: Math.max(90, CALLS / 4) });
  console.log(`family fuzz: ${r.calls} calls (${r.answered} answered, ${r.refused} refused by the reference, ${r.skippedOnGpu} out-of-range unpoolings skipped on WebGPU), ${r.mismatches} mismatches, ${r.crashes} crashes; per op ${JSON.stringify(r.perOp)}`);
  expect(r.failures).toEqual([]);
  expect(r.mismatches).toBe(0);
  expect(r.crashes).toBe(0);
  expect(r.calls, `all ${CALLS} calls within the time cap`).toBe(CALLS);
  expect(r.answered).toBeGreaterThan(CALLS / 2);
  expect(r.refused).toBeGreaterThan(0);
  expect(Object.keys(r.perOp).sort()).toEqual([...FAMILY_OPS].sort());
});

/**
 * A short run of the fuzz harness (`npm run fuzz -- --seconds N` runs it longer): random valid
 * configurations of every op must match the reference on WebGPU (whole bindings and split at small
 * binding limits) and on the CPU backend; random invalid ones must be refused with a PoolingError,
 * and nothing else may be thrown.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPooling, type Pooling } from '../src/index.js';
import { formatReport, fuzz, type FuzzTarget } from './fuzz/harness.js';
import { useGpuPool } from './helpers/gpu.js';

const gpu = useGpuPool();
const SECONDS = 15;
const targets: FuzzTarget[] = [];
let foreign: Pooling;
const uncaptured: string[] = [];

beforeAll(async () => {
  const device = (gpu().impl as unknown as { device: GPUDevice }).device;
  device.addEventListener('uncapturederror', (e) => uncaptured.push((e as GPUUncapturedErrorEvent).error.message));
  targets.push({ name: 'webgpu', pool: gpu() });
  for (const limit of [2048, 65536]) targets.push({ name: `webgpu-split-${limit / 1024}k`, pool: await createPooling({ device, maxStorageBufferBindingSize: limit }), splitLimit: limit });
  targets.push({ name: 'cpu', pool: await createPooling({ backend: 'cpu' }) });
  foreign = await createPooling({ backend: 'cpu' });
});
afterAll(() => {
  for (const t of targets.slice(1)) t.pool.destroy();
  foreign?.destroy();
});

it(`fuzz for ${SECONDS} s: no mismatch, no crash, every invalid call refused`, async () => {
  const report = await fuzz({ targets, foreign, seconds: SECONDS, seed: 20240611 });
  console.log(formatReport(report));
  expect(report.failures).toEqual([]);
  expect(report.mismatches).toBe(0);
  expect(report.crashes).toBe(0);
  expect(uncaptured).toEqual([]);
  expect(report.validChecked).toBeGreaterThan(100);
  expect(report.invalidRejected).toBe(report.invalidCases * targets.length);
  expect(Object.keys(report.perOp)).toHaveLength(8);
});

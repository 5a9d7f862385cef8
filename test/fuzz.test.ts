/**
 * A short seeded run of the fuzz harness (`npm run fuzz -- --seconds N` runs it longer): random
 * valid configurations of every op (1-D, 2-D, 3-D windowed and global of rank 3-5, forward and
 * backward, every layout) must match the reference on WebGPU (whole bindings and split at small
 * binding limits) and on the CPU backend; random invalid ones must be refused with a PoolingError,
 * and nothing else may be thrown.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPooling, type Pooling } from '../src/index.js';
import { OPS } from './fuzz/cases.js';
import { formatReport, fuzz, type FuzzTarget } from './fuzz/harness.js';
import { useGpuPool } from './helpers/gpu.js';

const gpu = useGpuPool();
/** A fixed number of seeded cases (the same ones every run, about 10 s on SwiftShader); the time is only a cap. */
const CASES = 1000;
const SECONDS = 60;
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

it(`fuzz ${CASES} seeded cases of every op: no mismatch, no crash, every invalid call refused`, async () => {
  const report = await fuzz({ targets, foreign, seconds: SECONDS, seed: 20240611, maxCases: CASES });
  console.log(formatReport(report));
  expect(report.failures).toEqual([]);
  expect(report.mismatches).toBe(0);
  expect(report.crashes).toBe(0);
  expect(uncaptured).toEqual([]);
  expect(report.cases, `all ${CASES} cases within ${SECONDS} s`).toBe(CASES);
  expect(report.validChecked).toBeGreaterThan(100);
  expect(report.invalidRejected).toBe(report.invalidCases * targets.length);
  expect(Object.keys(report.perOp).sort()).toEqual([...OPS].sort());
  for (const tag of ['layout NCL', 'layout NLC', 'layout NCDHW', 'layout NDHWC', 'padding same-lower', 'empty window', 'data specials', 'data ties', 'dy [N, C]', 'indices uploaded', 'dtype float16', 'hostile getters', 'hostile array-proxy', 'hostile array-getter', 'hostile inherited', 'hostile lying-length']) {
    expect(report.drawn[tag], tag).toBeGreaterThan(0);
  }
});

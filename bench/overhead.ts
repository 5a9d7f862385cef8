/**
 * Host-side submission overhead of tiny ops (issue #5, "Submission overhead"): what one call costs
 * on the CPU when the GPU work is negligible. Three figures per op, in µs per call:
 *   - submit: the synchronous part of the call (parameter checks, plan, outputs from the pool,
 *     uniform, bind group, encoding, queue.submit), i.e. call → promise returned;
 *   - queued: many calls issued back to back, all awaited, one read-back of the last result;
 *     wall time over the calls;
 *   - batch 1: one call, awaited, its result read back; the latency a user sees.
 * Also the GPU objects made per call in steady state (createBuffer, createBindGroup, writeBuffer), in
 * each mode: batch 1 reuses the same buffers every call, queued calls rotate through the pool's.
 *
 * Run (the WGSL imports need the bench build's esbuild plugin; dist-bench/ is git-ignored):
 *   node -e "import('esbuild').then(async ({ build }) => build({ entryPoints: ['bench/overhead.ts'], bundle: true, platform: 'node', format: 'esm', outfile: 'dist-bench/overhead.mjs', external: ['webgpu'], plugins: [(await import('./scripts/wgsl-raw-plugin.mjs')).wgslRawPlugin] }))" \
 *     && node dist-bench/overhead.mjs [--adapter auto|swiftshader|opengles|vulkan] [--rounds N] [--json]
 */
import type { NodeAdapterKind } from '../src/host/node-gpu.js';
import { webgpuBackendOf } from '../src/host/webgpu-backend.js';
import { createPooling, type Pooling, type Tensor } from '../src/index.js';
import { adapterName } from './runner.js';
import { median } from './timing.js';

interface OverheadCase {
  name: string;
  shape: [number, number, number, number];
  call(p: Pooling, x: Tensor): Promise<Tensor[]>;
}

const CASES: readonly OverheadCase[] = [
  {
    name: 'maxPool2d 1x8x8x8 k2s2',
    shape: [1, 8, 8, 8],
    call: async (p, x) => [(await p.maxPool2d(x, { kernelSize: 2 })).output],
  },
  {
    name: 'globalAvgPool 1x64x7x7',
    shape: [1, 64, 7, 7],
    call: async (p, x) => [await p.globalAvgPool(x)],
  },
  {
    name: 'globalMaxPool 1x64x7x7',
    shape: [1, 64, 7, 7],
    call: async (p, x) => {
      const r = await p.globalMaxPool(x);
      return [r.output];
    },
  },
];

/** Counts the GPU objects and queue writes made on `device` from now on. */
function countGpuCalls(device: GPUDevice): Counts {
  const counts = { createBuffer: 0, createBindGroup: 0, writeBuffer: 0 };
  for (const [target, method] of [
    [device, 'createBuffer'],
    [device, 'createBindGroup'],
    [device.queue, 'writeBuffer'],
  ] as const) {
    const original = (target as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!.bind(target);
    (target as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      counts[method]++;
      return original(...args);
    };
  }
  return counts;
}

type Counts = Record<'createBuffer' | 'createBindGroup' | 'writeBuffer', number>;

interface CaseResult {
  case: string;
  adapter: string;
  /** The synchronous part of a call: among queued calls, and of a batch-1 call. */
  submit_us: number;
  submit_batch1_us: number;
  queued_us: number;
  batch1_us: number;
  /** GPU objects and queue writes per call: [queued, batch 1]. */
  createBuffer_per_call: [number, number];
  createBindGroup_per_call: [number, number];
  writeBuffer_per_call: [number, number];
}

const BATCH = 100;

function perCall(counts: Counts, before: Counts, calls: number): Counts {
  return { createBuffer: (counts.createBuffer - before.createBuffer) / calls, createBindGroup: (counts.createBindGroup - before.createBindGroup) / calls, writeBuffer: (counts.writeBuffer - before.writeBuffer) / calls };
}

async function measure(p: Pooling, c: OverheadCase, rounds: number, counts: Counts): Promise<Omit<CaseResult, 'adapter'>> {
  const size = c.shape.reduce((a, b) => a * b, 1);
  const x = p.tensor(Float32Array.from({ length: size }, (_, i) => Math.sin(i)), c.shape);
  const queuedRound = async (submitTimes?: number[]) => {
    const pending: Promise<Tensor[]>[] = [];
    for (let i = 0; i < BATCH; i++) {
      const t0 = performance.now();
      pending.push(c.call(p, x));
      submitTimes?.push(performance.now() - t0);
    }
    const results = await Promise.all(pending);
    await results[results.length - 1]![0]!.read();
    for (const r of results) for (const t of r) t.destroy();
  };
  const batch1 = async (submitTimes?: number[]) => {
    const t0 = performance.now();
    const pending = c.call(p, x);
    submitTimes?.push(performance.now() - t0);
    const r = await pending;
    await r[0]!.read();
    for (const t of r) t.destroy();
  };
  // Warm-up: pipelines compiled, the pool holds a batch's outputs.
  for (let i = 0; i < 3; i++) await queuedRound();
  for (let i = 0; i < 20; i++) await batch1();

  let before = { ...counts };
  const submit: number[] = [];
  const queued: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await queuedRound(submit);
    queued.push((performance.now() - t0) / BATCH);
  }
  const queuedMade = perCall(counts, before, rounds * BATCH);
  before = { ...counts };
  const single: number[] = [];
  const singleSubmit: number[] = [];
  for (let r = 0; r < rounds * 10; r++) {
    const t0 = performance.now();
    await batch1(singleSubmit);
    single.push(performance.now() - t0);
  }
  const singleMade = perCall(counts, before, single.length);
  x.destroy();
  return {
    case: c.name,
    submit_us: 1000 * median(submit),
    submit_batch1_us: 1000 * median(singleSubmit),
    queued_us: 1000 * median(queued),
    batch1_us: 1000 * median(single),
    createBuffer_per_call: [queuedMade.createBuffer, singleMade.createBuffer],
    createBindGroup_per_call: [queuedMade.createBindGroup, singleMade.createBindGroup],
    writeBuffer_per_call: [queuedMade.writeBuffer, singleMade.writeBuffer],
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const rounds = Number(value('--rounds') ?? 20);
  const p = await createPooling({ backend: 'webgpu', nodeAdapter: (value('--adapter') ?? 'auto') as NodeAdapterKind });
  const device = webgpuBackendOf(p)!.device;
  const counts = countGpuCalls(device);
  const adapter = adapterName(p.adapterInfo);
  const results: CaseResult[] = [];
  for (const c of CASES) results.push({ adapter, ...(await measure(p, c, rounds, counts)) });
  if (args.includes('--json')) {
    for (const r of results) console.log(JSON.stringify(r));
  } else {
    console.log(`submission overhead — adapter: ${adapter}; median µs per call (${rounds} rounds of ${BATCH} queued calls, ${rounds * 10} batch-1 calls)`);
    console.log(`${'case'.padEnd(26)}${'submit q / 1'.padStart(14)}${'queued'.padStart(9)}${'batch 1'.padStart(10)}   per call, queued / batch 1: createBuffer createBindGroup writeBuffer`);
    const pair = ([q, b]: [number, number]) => `${q.toFixed(2)} / ${b.toFixed(2)}`;
    for (const r of results) {
      console.log(
        `${r.case.padEnd(26)}${`${r.submit_us.toFixed(0)} / ${r.submit_batch1_us.toFixed(0)}`.padStart(14)}${r.queued_us.toFixed(0).padStart(9)}${r.batch1_us.toFixed(0).padStart(10)}   ` +
          `${pair(r.createBuffer_per_call).padStart(12)} ${pair(r.createBindGroup_per_call).padStart(15)} ${pair(r.writeBuffer_per_call).padStart(11)}`,
      );
    }
  }
  p.destroy();
}

await main();

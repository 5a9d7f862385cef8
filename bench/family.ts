/**
 * The family benchmark (bench/family-cases.ts): each op of the rest of the pooling family on our
 * WebGPU context, checked against the f64 reference through the same public API (a CPU context
 * that runs every descriptor's reference), and timed against its yardstick, the k2 s2 max pool of
 * the same input size. The op and its yardstick alternate round by round in one sitting, so the
 * ratio survives a noisy machine. Environment-agnostic.
 */
import { loadCpuRuntime } from '../src/cpu-runtime-loader.js';
import { webgpuBackendOf } from '../src/host/webgpu-backend.js';
import { Pooling, type Tensor } from '../src/index.js';
import type { Layout, TensorLayout } from '../src/types.js';
import { elementCount, tensorLayout, type Pass } from './cases.js';
import { combine, compareIndices, compareValues, type Comparison } from './compare.js';
import { BASELINE_WINDOW, type FamilyCase, type FamilyForward, type FamilyInputs } from './family-cases.js';
import type { PeerCall, PeerSlot } from './peers/peer.js';
import type { BenchRow, Measurement } from './rows.js';
import { median, timeGpu, type RunPlan } from './timing.js';
import { seededValues, toLayout } from './workload.js';

export interface FamilyConfig {
  cases: readonly FamilyCase[];
  layouts: readonly Layout[];
  gpu: Pooling;
  adapter: string;
  /** The copy kernel's GB/s on this adapter, for pct_copy. */
  copyGBps?: number;
  plan: RunPlan;
  /** Rounds of (op, yardstick) timings; the faster median of each is kept. */
  rounds: number;
  /** Peers (TF.js) that run the cases with an equivalent windowed op (FamilyCase.tfjsWindow), in their own layout. */
  peers?: readonly PeerSlot[];
  peerPlan?: RunPlan;
  onMeasurement?(m: Measurement): void;
  onProgress?(p: { done: number; total: number; label: string }): void;
}

/** One case × layout × pass: our op's row, its yardstick's row, and their ratio (op / yardstick). */
export interface FamilyResult {
  benchCase: FamilyCase;
  layout: TensorLayout;
  pass: Pass;
  ours: Measurement;
  baseline: Measurement;
  ratio: number | null;
  /** The peer's row, where one ran the equivalent windowed op, and how many times faster ours was. */
  peer?: { measurement: Measurement; speedup: number | null };
}

/** The family's target: each op within 1.5x of the max pool of the same input size. */
export const FAMILY_TARGET = 1.5;

const seedOf = (id: string) => [...id].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0, 0x811c9dc5);

const bytesOf = (tensors: readonly (Tensor | undefined)[]) => tensors.reduce((sum, t) => sum + (t ? elementCount(t.shape) * 4 : 0), 0);

function destroyForward(f: FamilyForward): void {
  f.output.destroy();
  f.indices?.destroy();
}

/** Inputs of a case on one context: x, and for unpooling the pooled values and indices of the unpooled input. */
async function makeInputs(pool: Pooling, c: FamilyCase, layout: TensorLayout, family: Layout): Promise<{ inputs: FamilyInputs; owned: Tensor[] }> {
  if (c.op !== 'maxUnpool2d') {
    const x = pool.tensor(toLayout(seededValues(seedOf(c.id), elementCount(c.input)), c.input, family), c.input, { layout });
    return { inputs: { x }, owned: [x] };
  }
  const source = pool.tensor(toLayout(seededValues(seedOf(c.id), elementCount(c.baselineInput)), c.baselineInput, family), c.baselineInput, { layout });
  const pooled = await pool.maxPool2d(source, { ...BASELINE_WINDOW, returnIndices: true });
  source.destroy();
  return { inputs: { x: pooled.output, indices: pooled.indices! }, owned: [pooled.output, pooled.indices!] };
}

async function compareTensors(got: Tensor, want: Tensor, exact: boolean, terms: number): Promise<Comparison> {
  const rule = exact ? ({ kind: 'exact' } as const) : ({ kind: 'tolerance', terms } as const);
  return compareValues(await got.readFloat32(), await want.readFloat32(), rule);
}

/** The yardstick's calls: max pooling k2 s2 of the same input size, forward without indices, backward from its indices. */
async function baselineCalls(gpu: Pooling, c: FamilyCase, layout: TensorLayout, family: Layout) {
  const shape = c.baselineInput;
  const x = gpu.tensor(toLayout(seededValues(seedOf(c.id) ^ 1, elementCount(shape)), shape, family), shape, { layout });
  const f = await gpu.maxPool2d(x, { ...BASELINE_WINDOW, returnIndices: true });
  const dy = gpu.tensor(seededValues(seedOf(c.id) ^ 2, elementCount(f.output.shape)), f.output.shape, { layout });
  return {
    forward: async () => (await gpu.maxPool2d(x, BASELINE_WINDOW)).output.destroy(),
    backward: async () => (await gpu.maxPool2dBackward(dy, f.indices!, { ...BASELINE_WINDOW, inputShape: shape })).destroy(),
    bytes: { forward: bytesOf([x, f.output]), backward: bytesOf([dy, f.indices, x]) },
    destroy: () => [x, f.output, f.indices!, dy].forEach((t) => t.destroy()),
  };
}

/** TF.js's average pooling with the window that gives the case's result, checked like ours. */
async function runPeer(config: FamilyConfig, c: FamilyCase, family: Layout, pass: Pass, output: readonly number[], dy: Float32Array, want: Float32Array, oursMs: number): Promise<FamilyResult['peer']> {
  const slot = c.tfjsWindow ? config.peers?.find((s) => s.layout === family && s.supports('avgPool2d', pass)) : undefined;
  if (!slot?.peer || !c.tfjsWindow) return undefined;
  const window = { ...c.tfjsWindow, pad: 0 };
  const call: PeerCall = {
    benchCase: { id: c.id, input: c.input, window, ops: [{ op: 'avgPool2d', passes: [pass] }], note: c.note },
    op: 'avgPool2d',
    pass,
    layout: family,
    input: c.input,
    output,
    window,
    x: toLayout(seededValues(seedOf(c.id), elementCount(c.input)), c.input, family),
    ...(pass === 'backward' ? { dy } : {}),
    plan: config.peerPlan ?? config.plan,
  };
  const layout = tensorLayout(family, c.input.length);
  try {
    const r = await slot.peer.run(call);
    const check = compareValues(r.result, want, { kind: 'tolerance', terms: pass === 'forward' ? c.terms.forward : c.terms.backward });
    const GBps = null;
    const row: BenchRow = { case: c.id, op: c.op, pass, impl: slot.peer.impl, layout, dtype: 'float32', adapter: slot.peer.adapter, kernel_ms: r.kernelMs, e2e_ms: r.e2eMs, GBps, pct_copy: null, max_abs_err: check.maxAbsErr, ok: check.ok };
    return { measurement: { row, timing: r.timing, runs: r.runs, note: `as avgPool2d k${window.kernel} s${window.stride}${check.detail ? `; ${check.detail}` : ''}` }, speedup: oursMs > 0 ? r.kernelMs / oursMs : null };
  } catch (e) {
    const row: BenchRow = { case: c.id, op: c.op, pass, impl: slot.peer.impl, layout, dtype: 'float32', adapter: slot.peer.adapter, kernel_ms: null, e2e_ms: null, GBps: null, pct_copy: null, max_abs_err: null, ok: false };
    return { measurement: { row, timing: 'failed', runs: 0, note: String(e).slice(0, 200) }, speedup: null };
  }
}

export async function runFamilyBench(config: FamilyConfig): Promise<FamilyResult[]> {
  const { gpu, adapter } = config;
  const backend = webgpuBackendOf(gpu);
  if (!backend) throw new Error('the family benchmark needs a WebGPU context');
  // The f64 references run in the CPU runtime, loaded here as a CPU context would load it.
  const reference = new Pooling(new (await loadCpuRuntime()).CpuBackend('reference'));
  const results: FamilyResult[] = [];
  const total = config.cases.length * config.layouts.length;
  let done = 0;
  try {
    for (const c of config.cases) {
      for (const family of config.layouts) {
        const layout = tensorLayout(family, c.input.length);
        config.onProgress?.({ done, total, label: `${c.id} ${c.op} ${layout}` });
        const ours = await makeInputs(gpu, c, layout, family);
        const ref = await makeInputs(reference, c, layout, family);
        const yardstick = await baselineCalls(gpu, c, layout, family);
        const owned: Tensor[] = [...ours.owned, ...ref.owned];
        try {
          const withIndices = c.op === 'adaptiveMaxPool2d' || c.op === 'fractionalMaxPool2d';
          // Forward: checked with indices where the op has them; timed without (inference).
          const got = await c.forward(gpu, ours.inputs, withIndices);
          const want = await c.forward(reference, ref.inputs, withIndices);
          owned.push(got.output, want.output, ...[got.indices, want.indices].filter((t): t is Tensor<'int32'> => t !== undefined));
          let forwardCheck = await compareTensors(got.output, want.output, c.exact.forward, c.terms.forward);
          if (want.indices) forwardCheck = combine(forwardCheck, got.indices ? compareIndices(await got.indices.read(), await want.indices.read()) : { maxAbsErr: 0, ok: false, detail: 'no indices returned' });
          const dyValues = toLayout(seededValues(seedOf(c.id) ^ 3, elementCount(got.output.shape)), got.output.shape, family);
          const dy = gpu.tensor(dyValues, got.output.shape, { layout });
          const refDy = reference.tensor(dyValues, got.output.shape, { layout });
          owned.push(dy, refDy);
          const dx = await c.backward(gpu, dy, ours.inputs, got);
          const wantDx = await c.backward(reference, refDy, ref.inputs, want);
          const backwardCheck = await compareTensors(dx, wantDx, c.exact.backward, c.terms.backward);
          const wantValues = { forward: await want.output.readFloat32(), backward: await wantDx.readFloat32() };
          dx.destroy();
          wantDx.destroy();

          const calls = {
            forward: async () => destroyForward(await c.forward(gpu, ours.inputs, false)),
            backward: async () => (await c.backward(gpu, dy, ours.inputs, got)).destroy(),
          };
          const bytes = {
            forward: bytesOf([ours.inputs.x, ours.inputs.indices, got.output]),
            backward: bytesOf([dy, ours.inputs.indices ?? got.indices, c.op === 'lpPool2d' ? ours.inputs.x : undefined, c.op === 'lpPool2d' ? got.output : undefined]) + elementCount(c.op === 'maxUnpool2d' ? ours.inputs.x.shape : c.input) * 4,
          };
          for (const pass of ['forward', 'backward'] as const) {
            const opTimes: number[] = [];
            const baseTimes: number[] = [];
            for (let r = 0; r < config.rounds; r++) {
              opTimes.push((await timeGpu(backend, config.plan, calls[pass])).ms);
              baseTimes.push((await timeGpu(backend, config.plan, yardstick[pass])).ms);
            }
            const opMs = Math.min(...opTimes.map((t) => t));
            const baseMs = Math.min(...baseTimes);
            const check = pass === 'forward' ? forwardCheck : backwardCheck;
            const row = (op: BenchRow['op'], ms: number, moved: number, cmp: Comparison): BenchRow => {
              const GBps = ms > 0 ? moved / ms / 1e6 : null;
              return { case: c.id, op, pass, impl: 'ours', layout, dtype: 'float32', adapter, kernel_ms: ms, e2e_ms: null, GBps, pct_copy: GBps !== null && config.copyGBps ? (100 * GBps) / config.copyGBps : null, max_abs_err: cmp.maxAbsErr, ok: cmp.ok };
            };
            const oursM: Measurement = { row: row(c.op, opMs, bytes[pass], check), timing: 'gpu-timestamp', runs: config.rounds, ...(check.detail ? { note: check.detail } : {}) };
            const baseM: Measurement = { row: row('maxPool2d', baseMs, yardstick.bytes[pass], { maxAbsErr: 0, ok: true }), timing: 'gpu-timestamp', runs: config.rounds, note: `yardstick of ${c.id}: maxPool2d k2 s2 on [${c.baselineInput.join(', ')}]` };
            config.onMeasurement?.(oursM);
            config.onMeasurement?.(baseM);
            const peer = await runPeer(config, c, family, pass, got.output.shape, dyValues, wantValues[pass], opMs);
            if (peer) config.onMeasurement?.(peer.measurement);
            results.push({ benchCase: c, layout, pass, ours: oursM, baseline: baseM, ratio: baseMs > 0 ? opMs / baseMs : null, ...(peer ? { peer } : {}) });
          }
        } finally {
          for (const t of owned) if (!t.destroyed) t.destroy();
          yardstick.destroy();
        }
        done++;
      }
    }
  } finally {
    reference.destroy();
  }
  config.onProgress?.({ done, total, label: 'done' });
  return results;
}

/** The family table: each op's time, % of copy, check, and its ratio to the yardstick against the 1.5x target. */
export function formatFamilyTable(results: readonly FamilyResult[]): string {
  const lines = ['', 'The rest of the pooling family: each op against maxPool2d k2 s2 of the same input size (target: op / yardstick <= 1.5)', ''];
  lines.push('| case | op | pass | layout | ours ms | % copy | yardstick ms | op / yardstick | vs TF.js avgPool | check |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const fmt = (v: number | null, d = 3) => (v === null ? '-' : v.toFixed(d));
  for (const r of results) {
    const ratio = r.ratio === null ? '-' : `${r.ratio.toFixed(2)}${r.ratio <= FAMILY_TARGET ? '' : ' (over target)'}`;
    lines.push(`| ${r.benchCase.id} (b${r.benchCase.input[0]}) | ${r.benchCase.op} | ${r.pass} | ${r.layout} | ${fmt(r.ours.row.kernel_ms)} | ${fmt(r.ours.row.pct_copy, 1)} | ${fmt(r.baseline.row.kernel_ms)} | ${ratio} | ${r.peer?.speedup ? `${r.peer.speedup.toFixed(2)}x faster` : '-'} | ${r.ours.row.ok ? 'ok' : `FAILED ${r.ours.note ?? ''}`} |`);
  }
  const ratios = results.map((r) => r.ratio).filter((v): v is number => v !== null);
  if (ratios.length) lines.push('', `worst op / yardstick: ${Math.max(...ratios).toFixed(2)}; median ${median(ratios).toFixed(2)}`);
  return lines.join('\n');
}

/**
 * `node dist-bench/selection.mjs [--quick] [--cases a,b] [--adapter KIND] [--runs N] [--warmup N]` (built beside the
 * benchmark by `npm run build:bench`): times every alternative that the
 * kernel-selection rules choose between, on BENCHMARKS.md's cases, and says whether each rule picked the
 * fastest one on this adapter. The rules were measured on software adapters (SwiftShader and
 * llvmpipe: docs/forward-selection.md, docs/global-selection.md, docs/backward-selection.md,
 * docs/nd-selection.md); this
 * is the check to run on a GPU machine, in the same call as the benchmark.
 *
 * Alternatives: forward NCHW max/avg, scalar or four outputs per invocation (w4); forward max,
 * generic or window-specialised pipeline; global NCHW pass 1 of large planes, workgroup tree,
 * subgroups or one scan per invocation; windowed backward, scatter, gather, and for windows that
 * cannot overlap direct (+ clear) or cell. The 1-D cases: the same plane alternatives on one-row
 * planes, and beside them the N-d kernels for the same window (nd, nd scatter, nd gather: is
 * "1-D on the plane kernels" right?); the 3-D cases: N-d backward scatter or gather
 * (chooseNdBackwardForm; docs/nd-selection.md). `--runs N --warmup N` (default 15 and 3) for slow
 * adapters. Each runs its
 * plan directly (src/kernels, src/host/dispatch.ts) on random data, alternating with the others,
 * and reports the median GPU time (timestamp queries, from before a leading clear step to the end
 * of the last pass) and the median wall time to onSubmittedWorkDone; alternatives rank by GPU time
 * where the adapter has timestamps, else by wall time. The alternatives' results are compared with the
 * first one's (indices exactly, values within 1e-4 relative), so a kernel that is wrong on this
 * adapter shows up (and the exit status is 1). It is also the tuning report: beside each
 * comparison the library's tuner (src/tuning/tuner.ts, what `tuning: 'measure'` runs: its own few
 * wall-clock rounds, budget, pruning and margin) picks among the same alternatives, and the summary
 * says how often the rules and the tuner picked the fastest, or one within 5 % of it, by the
 * check's careful timing. JSON lines on stdout (`tuned` marks the tuner's pick), a table on stderr.
 */
import { adapterKind } from '../src/adapter-profile.js';
import { BufferPool } from '../src/host/buffer-pool.js';
import { requireAdapter, requestPoolingDevice, summarizeAdapterInfo } from '../src/host/device.js';
import { encodeSteps, type Step } from '../src/host/dispatch.js';
import { BufferUsage } from '../src/host/gpu-flags.js';
import type { NodeAdapterKind } from '../src/host/node-gpu.js';
import { avgPoolBackwardPlan } from '../src/kernels/avg-pool-backward.js';
import { avgPoolForwardKernel, avgPoolForwardPlan } from '../src/kernels/avg-pool.js';
import { chooseBackwardForm, windowsOverlap, type BackwardForm, type BackwardPlan } from '../src/kernels/backward-choice.js';
import { chooseGlobalChunkKernel, globalPoolPlan, PER_PLANE_MAX_SIZE, type GlobalChunkKernel, type GlobalKind } from '../src/kernels/global-pool.js';
import type { KernelPlan } from '../src/kernels/kernel.js';
import { maxPoolBackwardPlan } from '../src/kernels/max-pool-backward.js';
import { maxPoolForwardKernel, maxPoolForwardPlan } from '../src/kernels/max-pool.js';
import { ndBackwardPlan, ndForwardPlan, type NdBackwardForm } from '../src/kernels/nd-pool.js';
import { isSpecialisedWindow } from '../src/kernels/window-constants.js';
import { chooseNdBackwardForm } from '../src/ops/windowed-pool.js';
import { planeGeometry } from '../src/geometry.js';
import { resolveAvgPool, resolveAvgWindow, resolveMaxPool, resolveMaxWindow } from '../src/params.js';
import type { AdapterInfoSummary, AvgPoolParams, AvgWindow, Layout, MaxPoolParams, MaxWindow, TensorLayout } from '../src/types.js';
import { LAYOUTS, selectCases, spatialRank, tensorLayout, type BenchCase, type OpName } from './cases.js';
import { median, readDurations } from './timing.js';
import { Tuner } from '../src/tuning/tuner.js';
import { seededValues } from './workload.js';

/** One way to run an op: its steps, and its slots' element counts. */
interface Alternative {
  name: string;
  steps: Step[];
  /** Slots filled with random data. */
  random: Record<string, number>;
  /** Slots the steps (or `prepare`) write. */
  written: Record<string, number>;
  /** Steps run once before timing (max backward's indices come from a forward pass). */
  prepare?: Step[];
  /** The slots holding the op's result, compared across the alternatives. */
  results: string[];
}

interface Comparison {
  caseId: string;
  op: string;
  layout: TensorLayout;
  rule: string;
  chosen: string;
  alternatives: Alternative[];
}

interface Args {
  quick: boolean;
  adapter: NodeAdapterKind;
  cases?: string[];
  /** Timed runs of each alternative (alternating), and warm-up runs before them. */
  runs: number;
  warmup: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, adapter: 'auto', runs: 15, warmup: 3 };
  const count = (v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`selection-check: --runs / --warmup take an integer >= ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') args.quick = true;
    else if (argv[i] === '--adapter') args.adapter = argv[++i] as NodeAdapterKind;
    else if (argv[i] === '--cases') args.cases = (argv[++i] ?? '').split(',');
    else if (argv[i] === '--runs') args.runs = count(argv[++i], 1);
    else if (argv[i] === '--warmup') args.warmup = count(argv[++i], 0);
    else throw new Error(`selection-check: unknown argument ${argv[i]} (use --quick, --cases a,b, --adapter auto|vulkan|swiftshader|opengles, --runs N, --warmup N)`);
  }
  return args;
}

const elements = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const kernel = (plan: KernelPlan): Step => ({ kind: 'kernel', plan });

function backwardSteps(plan: { kernel: KernelPlan; zeroDx: boolean }): Step[] {
  return [...(plan.zeroDx ? [{ kind: 'clear' as const, slot: 'dx' }] : []), kernel(plan.kernel)];
}

/**
 * The plane kernels' comparisons of one windowed case (2-D, or 1-D as planes of one row): forward
 * forms, backward forms. `nd` (1-D cases) adds the N-d kernels that could run the same window
 * instead (docs/nd-selection.md), beside the plane kernels the library runs.
 */
function windowedComparisons(
  caseId: string,
  rankOps: { max: string; avg: string },
  pm: MaxPoolParams,
  pa: AvgPoolParams,
  layout: Layout,
  adapter: AdapterInfoSummary | null,
  nd?: { max: MaxWindow; avg: AvgWindow; layout: TensorLayout },
): Comparison[] {
  const nIn = pm.N * pm.C * pm.H * pm.W;
  const nOut = pm.N * pm.C * pm.outH * pm.outW;
  const channelsLast = layout === 'NHWC';
  const shownLayout = nd?.layout ?? layout;
  const out: Comparison[] = [];
  const maxForward = (plan: KernelPlan, name: string): Alternative => ({ name, steps: [kernel(plan)], random: { x: nIn }, written: { y: nOut }, results: ['y'] });
  const avgForward = (plan: KernelPlan, name: string): Alternative => ({ name, steps: [kernel(plan)], random: { x: nIn }, written: { y: nOut }, results: ['y'] });
  const ndMaxForward = nd ? [maxForward(ndForwardPlan('max', nd.max, channelsLast, false), 'nd')] : [];
  const ndAvgForward = nd ? [avgForward(ndForwardPlan('avg', nd.avg, channelsLast), 'nd')] : [];
  const rule = nd ? 'forward-selection.md, nd-selection.md' : 'forward-selection.md';
  if (layout === 'NCHW') {
    const alts: Alternative[] = [];
    for (const form of ['scalar', 'w4'] as const) {
      alts.push(maxForward(maxPoolForwardPlan(pm, layout, false, form, false), `${form} generic`));
      if (isSpecialisedWindow(pm)) alts.push(maxForward(maxPoolForwardPlan(pm, layout, false, form, true), `${form} specialised`));
    }
    const chosenForm = maxPoolForwardKernel(pm, layout);
    out.push({ caseId, op: `${rankOps.max} forward`, layout: shownLayout, rule, chosen: `${chosenForm} ${isSpecialisedWindow(pm) ? 'specialised' : 'generic'}`, alternatives: [...alts, ...ndMaxForward] });
    out.push({
      caseId,
      op: `${rankOps.avg} forward`,
      layout: shownLayout,
      rule,
      chosen: avgPoolForwardKernel(pa, layout),
      alternatives: [...(['scalar', 'w4'] as const).map((form) => avgForward(avgPoolForwardPlan(pa, layout, form), form)), ...ndAvgForward],
    });
  } else if (isSpecialisedWindow(pm)) {
    out.push({
      caseId,
      op: `${rankOps.max} forward`,
      layout: shownLayout,
      rule,
      chosen: 'specialised',
      alternatives: [maxForward(maxPoolForwardPlan(pm, layout, false, undefined, false), 'generic'), maxForward(maxPoolForwardPlan(pm, layout, false, undefined, true), 'specialised'), ...ndMaxForward],
    });
  } else if (nd) {
    // NHWC has one plane kernel per op here: the question is only plane or N-d.
    out.push({ caseId, op: `${rankOps.max} forward`, layout: shownLayout, rule, chosen: 'plane', alternatives: [maxForward(maxPoolForwardPlan(pm, layout, false), 'plane'), ...ndMaxForward] });
    out.push({ caseId, op: `${rankOps.avg} forward`, layout: shownLayout, rule, chosen: 'plane', alternatives: [avgForward(avgPoolForwardPlan(pa, layout), 'plane'), ...ndAvgForward] });
  }
  const forms: BackwardForm[] = windowsOverlap(pm) ? ['scatter', 'gather'] : ['cell', 'direct', 'scatter', 'gather'];
  const indicesFirst = [kernel(maxPoolForwardPlan(pm, layout, true))];
  const maxBackward = (plan: BackwardPlan, name: string, prepare: Step[]): Alternative => ({
    name,
    steps: backwardSteps(plan),
    random: { x: nIn, dy: nOut },
    written: { y: nOut, indices: nOut, dx: nIn },
    prepare,
    results: ['dx'],
  });
  const avgBackward = (plan: BackwardPlan, name: string): Alternative => ({ name, steps: backwardSteps(plan), random: { dy: nOut }, written: { dx: nIn }, results: ['dx'] });
  const ndForms: NdBackwardForm[] = ['scatter', 'gather'];
  const backwardRule = nd ? 'backward-selection.md, nd-selection.md' : 'backward-selection.md';
  out.push({
    caseId,
    op: `${rankOps.max} backward`,
    layout: shownLayout,
    rule: backwardRule,
    chosen: chooseBackwardForm('max', pm, 'auto', adapter, layout),
    alternatives: [
      ...forms.map((form) => maxBackward(maxPoolBackwardPlan(pm, layout, form), form, indicesFirst)),
      // The N-d kernels' indices are the same flat in-row positions: their own forward makes them.
      ...(nd ? ndForms.map((form) => maxBackward(ndBackwardPlan('max', nd.max, channelsLast, form), `nd ${form}`, [kernel(ndForwardPlan('max', nd.max, channelsLast, true))])) : []),
    ],
  });
  out.push({
    caseId,
    op: `${rankOps.avg} backward`,
    layout: shownLayout,
    rule: backwardRule,
    chosen: chooseBackwardForm('avg', pa, 'auto', adapter, layout),
    alternatives: [
      ...forms.map((form) => avgBackward(avgPoolBackwardPlan(pa, layout, form), form)),
      ...(nd ? ndForms.map((form) => avgBackward(ndBackwardPlan('avg', nd.avg, channelsLast, form), `nd ${form}`)) : []),
    ],
  });
  return out;
}

/** Window options of a case (cubic windows: one number per option). */
function windowOptions(c: BenchCase): Record<string, unknown> {
  const w = c.window!;
  return { kernelSize: w.kernel, stride: w.stride, padding: w.pad };
}

/** The comparisons of a 2-D case: the plane kernels' rules. */
function planeCaseComparisons(c: BenchCase, layout: Layout, adapter: AdapterInfoSummary | null): Comparison[] {
  const pm = resolveMaxPool('maxPool2d', [...c.input], windowOptions(c));
  const pa = resolveAvgPool('avgPool2d', [...c.input], windowOptions(c));
  return windowedComparisons(c.id, { max: 'maxPool2d', avg: 'avgPool2d' }, pm, pa, layout, adapter);
}

/**
 * The comparisons of a 1-D case: its window as a plane of one row on every plane kernel the rules
 * choose between, and on the N-d kernels (the library runs 1-D on the plane kernels).
 */
function rowCaseComparisons(c: BenchCase, layout: Layout, adapter: AdapterInfoSummary | null): Comparison[] {
  const gm = resolveMaxWindow('maxPool1d', 1, c.input, windowOptions(c));
  const ga = resolveAvgWindow('avgPool1d', 1, c.input, windowOptions(c));
  const pm: MaxPoolParams = { ...planeGeometry(gm), padWithZero: gm.padWithZero };
  const pa: AvgPoolParams = { ...planeGeometry(ga), countIncludePad: ga.countIncludePad, divisorOverride: ga.divisorOverride };
  return windowedComparisons(c.id, { max: 'maxPool1d', avg: 'avgPool1d' }, pm, pa, layout, adapter, { max: gm, avg: ga, layout: tensorLayout(layout, 3) });
}

/** The comparisons of a 3-D case: the N-d backward forms, gather or scatter (chooseNdBackwardForm). */
function volumeCaseComparisons(c: BenchCase, layout: Layout, adapter: AdapterInfoSummary | null): Comparison[] {
  const gm = resolveMaxWindow('maxPool3d', 3, c.input, windowOptions(c));
  const ga = resolveAvgWindow('avgPool3d', 3, c.input, windowOptions(c));
  const channelsLast = layout === 'NHWC';
  const nIn = elements(c.input);
  const nOut = gm.N * gm.C * elements(gm.outSize);
  const shown = tensorLayout(layout, 5);
  const forms: NdBackwardForm[] = ['scatter', 'gather'];
  const indicesFirst = [kernel(ndForwardPlan('max', gm, channelsLast, true))];
  return [
    {
      caseId: c.id,
      op: 'maxPool3d backward',
      layout: shown,
      rule: 'nd-selection.md',
      chosen: chooseNdBackwardForm('max', gm, 'auto', adapterKind(adapter)),
      alternatives: forms.map((form) => ({
        name: form,
        steps: backwardSteps(ndBackwardPlan('max', gm, channelsLast, form)),
        random: { x: nIn, dy: nOut },
        written: { y: nOut, indices: nOut, dx: nIn },
        prepare: indicesFirst,
        results: ['dx'],
      })),
    },
    {
      caseId: c.id,
      op: 'avgPool3d backward',
      layout: shown,
      rule: 'nd-selection.md',
      chosen: chooseNdBackwardForm('avg', ga, 'auto', adapterKind(adapter)),
      alternatives: forms.map((form) => ({ name: form, steps: backwardSteps(ndBackwardPlan('avg', ga, channelsLast, form)), random: { dy: nOut }, written: { dx: nIn }, results: ['dx'] })),
    },
  ];
}

/**
 * Every comparison of a case: by its rank; the global cases by their plane size. The 1-D and 3-D
 * cases hold one op each (max or average): only that op's comparisons.
 */
function caseComparisons(c: BenchCase, device: GPUDevice, adapter: AdapterInfoSummary | null): Comparison[] {
  if (!c.window) return globalComparisons(c, device, adapter);
  const rank = spatialRank(c);
  if (rank === 2) return LAYOUTS.flatMap((layout) => planeCaseComparisons(c, layout, adapter));
  const ops = new Set(c.ops.map((o) => o.op));
  const all = LAYOUTS.flatMap((layout) => (rank === 1 ? rowCaseComparisons(c, layout, adapter) : volumeCaseComparisons(c, layout, adapter)));
  return all.filter((cmp) => ops.has(cmp.op.split(' ')[0] as OpName));
}

function globalComparisons(c: BenchCase, device: GPUDevice, adapter: AdapterInfoSummary | null): Comparison[] {
  const [N, C, H, W] = c.input as [number, number, number, number];
  if (H * W <= PER_PLANE_MAX_SIZE) return []; // one pass per plane: nothing to choose
  const s = { N, C, H, W };
  const chunkDevice = { subgroups: device.features.has('subgroups' as GPUFeatureName), adapter };
  const kernels: GlobalChunkKernel[] = chunkDevice.subgroups ? ['tree', 'subgroup', 'scan'] : ['tree', 'scan'];
  const maxWorkgroup = device.limits.maxComputeInvocationsPerWorkgroup;
  return (['max', 'avg'] as GlobalKind[]).map((kind) => ({
    caseId: c.id,
    op: kind === 'max' ? 'globalMaxPool forward' : 'globalAvgPool forward',
    layout: 'NCHW' as Layout,
    rule: 'global-selection.md',
    chosen: chooseGlobalChunkKernel('NCHW', chunkDevice),
    alternatives: kernels.map((k) => {
      const plan = globalPoolPlan(kind, s, 'NCHW', maxWorkgroup, chunkDevice, k);
      const scratch: Record<string, number> = plan.partialCount > 0 ? { partials: plan.partialCount, partial_indices: plan.partialCount } : {};
      return { name: k, steps: plan.passes.map(kernel), random: { x: N * C * H * W }, written: { y: N * C, y_indices: N * C, ...scratch }, results: kind === 'max' ? ['y', 'y_indices'] : ['y'] };
    }),
  }));
}

interface Timed {
  ms: number;
  wallMs: number;
  source: 'gpu-timestamp' | 'wall';
  /** Its results equal the first alternative's (index slots exactly, values within 1e-4 relative). */
  agrees: boolean;
}

const INDEX_SLOTS = new Set(['indices', 'y_indices']);

async function readSlot(device: GPUDevice, buffer: GPUBuffer): Promise<ArrayBuffer> {
  const read = device.createBuffer({ size: buffer.size, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, read, 0, buffer.size);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(1 /* GPUMapMode.READ */);
    return read.getMappedRange().slice(0);
  } finally {
    read.destroy();
  }
}

function sameResult(slot: string, got: ArrayBuffer, want: ArrayBuffer): boolean {
  if (INDEX_SLOTS.has(slot)) {
    const g = new Int32Array(got);
    const w = new Int32Array(want);
    return g.every((v, i) => v === w[i]);
  }
  const g = new Float32Array(got);
  const w = new Float32Array(want);
  return g.every((v, i) => v === w[i] || (v !== v && w[i] !== w[i]) || Math.abs(v - w[i]!) <= 1e-4 * (1 + Math.abs(w[i]!)));
}

/** Buffers for every slot of an alternative, random slots filled, prepare steps run. */
function allocate(device: GPUDevice, pool: BufferPool, alt: Alternative): Record<string, GPUBuffer> {
  const buffers: Record<string, GPUBuffer> = {};
  let seed = 1;
  for (const [slot, n] of Object.entries({ ...alt.random, ...alt.written })) {
    const buffer = device.createBuffer({ label: `selection.${slot}`, size: Math.max(16, n * 4), usage: BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC });
    if (slot in alt.random) device.queue.writeBuffer(buffer, 0, seededValues(seed++, n).buffer as ArrayBuffer);
    buffers[slot] = buffer;
  }
  if (alt.prepare) {
    const encoder = device.createCommandEncoder();
    const uniforms = encodeSteps(device, encoder, pool, alt.prepare, buffers);
    device.queue.submit([encoder.finish()]);
    for (const u of uniforms) pool.release(u);
  }
  return buffers;
}

async function timeAlternatives(device: GPUDevice, alts: Alternative[], runs: number, warmup: number): Promise<Timed[]> {
  const pool = new BufferPool(device);
  const useTimestamps = device.features.has('timestamp-query');
  const prepared = alts.map((alt) => allocate(device, pool, alt));
  const querySets = alts.map(() => (useTimestamps ? device.createQuerySet({ type: 'timestamp', count: 2 * runs }) : undefined));
  const walls: number[][] = alts.map(() => []);
  try {
    for (let run = -warmup; run < runs; run++) {
      for (let a = 0; a < alts.length; a++) {
        const encoder = device.createCommandEncoder();
        const querySet = querySets[a];
        const sink = querySet && run >= 0 ? { querySet, beginIndex: 2 * run } : undefined;
        const t0 = performance.now();
        const uniforms = encodeSteps(device, encoder, pool, alts[a]!.steps, prepared[a]!, sink);
        device.queue.submit([encoder.finish()]);
        await device.queue.onSubmittedWorkDone();
        if (run >= 0) walls[a]!.push(performance.now() - t0);
        for (const u of uniforms) pool.release(u);
      }
    }
    const out: Timed[] = [];
    const first: Record<string, ArrayBuffer> = {};
    for (const slot of alts[0]!.results) first[slot] = await readSlot(device, prepared[0]![slot]!);
    for (let a = 0; a < alts.length; a++) {
      const kernelMs = querySets[a] ? await readDurations(device, querySets[a]!, runs) : undefined;
      const wallMs = median(walls[a]!);
      let agrees = true;
      for (const slot of alts[a]!.results) agrees &&= sameResult(slot, await readSlot(device, prepared[a]![slot]!), first[slot]!);
      out.push(kernelMs ? { ms: median(kernelMs), wallMs, source: 'gpu-timestamp', agrees } : { ms: wallMs, wallMs, source: 'wall', agrees });
    }
    return out;
  } finally {
    for (const q of querySets) q?.destroy();
    for (const b of prepared) for (const buffer of Object.values(b)) buffer.destroy();
    pool.destroyAll();
  }
}

/**
 * What the library's tuner (src/tuning/tuner.ts, as `tuning: 'measure'` runs it) picks among the
 * same alternatives on this device: its own wall-clock rounds, budget, pruning and margin.
 */
async function tunedPick(device: GPUDevice, alts: Alternative[], rule: string, adapterId: string): Promise<{ kernel: string; costMs: number }> {
  const pool = new BufferPool(device);
  const prepared = alts.map((alt) => allocate(device, pool, alt));
  const tuner = new Tuner({ mode: 'measure', adapter: adapterId });
  try {
    const kernel = await tuner.choose('selection', rule, alts.map((a) => a.name), async (name) => {
      const a = alts.findIndex((alt) => alt.name === name);
      const encoder = device.createCommandEncoder();
      const uniforms = encodeSteps(device, encoder, pool, alts[a]!.steps, prepared[a]!);
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      for (const u of uniforms) pool.release(u);
    });
    return { kernel, costMs: tuner.decisions()[0]?.costMs ?? 0 };
  } finally {
    for (const b of prepared) for (const buffer of Object.values(b)) buffer.destroy();
    pool.destroyAll();
  }
}

/** Within 5 % of the fastest: what "picked the fastest" allows for noise. */
const NEAR_FASTEST = 1.05;

const args = parseArgs(process.argv.slice(2));
const found = await requireAdapter(args.adapter);
const device = await requestPoolingDevice(found.adapter);
const adapter = summarizeAdapterInfo(found.adapter.info);
const adapterName = `${adapter?.description || adapter?.device || found.source} (${adapter?.vendor ?? '?'} ${adapter?.architecture ?? ''})`.trim();
console.error(`selection check on ${adapterName}${args.quick ? ' — quick: batch 1' : ''}; ${args.runs} runs each after ${args.warmup} warm-up, alternating`);
const cases = selectCases({ quick: args.quick, ...(args.cases ? { ids: args.cases } : {}) });
let agree = 0;
let total = 0;
let disagreements = 0;
let rulesNear = 0;
let tunedFastest = 0;
let tunedNear = 0;
const tuningCosts: number[] = [];
for (const c of cases) {
  const comparisons = caseComparisons(c, device, adapter);
  for (const cmp of comparisons) {
    const times = await timeAlternatives(device, cmp.alternatives, args.runs, args.warmup);
    // Ranked by GPU time where the adapter has timestamps (a leading clear is inside the span), else wall time.
    const fastest = cmp.alternatives[times.reduce((best, t, i) => (t.ms < times[best]!.ms ? i : best), 0)]!.name;
    total++;
    if (fastest === cmp.chosen) agree++;
    const timeOf = (name: string) => times[cmp.alternatives.findIndex((a) => a.name === name)]!.ms;
    const best = timeOf(fastest);
    if (timeOf(cmp.chosen) <= NEAR_FASTEST * best) rulesNear++;
    const tuned = await tunedPick(device, cmp.alternatives, cmp.chosen, adapterName);
    tuningCosts.push(tuned.costMs);
    if (tuned.kernel === fastest) tunedFastest++;
    if (timeOf(tuned.kernel) <= NEAR_FASTEST * best) tunedNear++;
    const cells = cmp.alternatives.map((alt, i) => `${alt.name === cmp.chosen ? '*' : ''}${alt.name} ${times[i]!.ms.toPrecision(3)}/${times[i]!.wallMs.toPrecision(3)}${times[i]!.agrees ? '' : ' DIFFERS'}`);
    const differing = cmp.alternatives.filter((_, i) => !times[i]!.agrees).map((alt) => alt.name);
    if (differing.length > 0) {
      disagreements++;
      console.error(`!! ${c.id} ${cmp.op} ${cmp.layout}: ${differing.join(', ')} gave other results than ${cmp.alternatives[0]!.name}`);
    }
    console.error(
      `${c.id.padEnd(14)} ${cmp.op.padEnd(22)} ${cmp.layout}  ${cells.join('  ')}  → fastest: ${fastest}${fastest === cmp.chosen ? '' : `, rule picks ${cmp.chosen} (${cmp.rule})`}; tuning picks ${tuned.kernel} (${(timeOf(tuned.kernel) / best).toFixed(2)}× the fastest, ${tuned.costMs.toFixed(0)} ms to measure)`,
    );
    for (let i = 0; i < cmp.alternatives.length; i++) {
      const t = times[i]!;
      console.log(JSON.stringify({ case: c.id, op: cmp.op, layout: cmp.layout, alternative: cmp.alternatives[i]!.name, chosen: cmp.alternatives[i]!.name === cmp.chosen, tuned: cmp.alternatives[i]!.name === tuned.kernel, ms: t.ms, wall_ms: t.wallMs, timing: t.source, agrees: t.agrees, adapter: adapterName }));
    }
  }
}
console.error(`ms: kernel median (GPU timestamps where available) / wall median to onSubmittedWorkDone; * marks the rule's pick`);
const by = device.features.has('timestamp-query') ? 'GPU time, a leading clear included' : 'wall time';
console.error(`the rules picked the fastest alternative (by ${by}) in ${agree} of ${total} comparisons, one within 5 % of it in ${rulesNear}`);
const costs = [...tuningCosts].sort((a, b) => a - b);
console.error(
  `tuning (the library's tuner, its own few rounds) picked the fastest in ${tunedFastest} of ${total}, one within 5 % of it in ${tunedNear}; measuring cost per comparison median ${(costs[costs.length >> 1] ?? 0).toFixed(0)} ms, max ${(costs[costs.length - 1] ?? 0).toFixed(0)} ms`,
);
console.error(disagreements === 0 ? 'every alternative gave the same results as the first of its comparison' : `${disagreements} comparisons had alternatives with other results (marked DIFFERS): a kernel is wrong on this adapter`);
device.destroy();
process.exit(disagreements === 0 ? 0 : 1);

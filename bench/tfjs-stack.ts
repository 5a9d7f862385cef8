/**
 * Small TF.js models with and without the plug-in (webgpu-pooling/tfjs): conv-free stacks of
 * TF.js ops, as an application would write them — 2-D: maxPool 3×3/2 'same' (ResNet's stem
 * pooling), avgPool 2×2/2, maxPool 2×2/2, then tf.mean over H, W; 3-D (a video or volume model):
 * maxPool3d 3/2 'same', avgPool3d 2/2, then tf.mean over D, H, W — run forward, and forward +
 * backward with tf.grad. The same code runs twice: on TF.js's own webgpu kernels, then with ours registered in
 * their place. Timed as wall time to onSubmittedWorkDone (TF.js's queue flushed first), medians.
 * The plug-in's outputs are checked against TF.js's own (the stack avoids TF.js's known faults:
 * no average window covers padding, random data has no ties).
 *
 * Needs `navigator.gpu` before it runs (in Node: bench/peers/node-navigator.ts), like the TF.js peer.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { registerTfjsKernels, type TfjsPlugin } from '../src/tfjs/index.js';
import { startTfjsWebGpu, type Tf } from './peers/tfjs-webgpu.js';
import { median, repeat, type RunPlan } from './timing.js';


export type StackPass = 'forward' | 'forward+backward';
export type StackImpl = 'tfjs-webgpu' | 'tfjs-webgpu+ours';

export interface TfjsStackRow {
  case: string;
  /** TF.js shape: [N, H, W, C] (2-D stack) or [N, D, H, W, C] (3-D stack). */
  shape: number[];
  pass: StackPass;
  impl: StackImpl;
  ms: number;
  runs: number;
  /** Against TF.js's own result for the plug-in's rows; 0 for TF.js's. */
  max_abs_err: number;
  ok: boolean;
  /** Plug-in rows: how many kernel calls ran ours / were handed back to TF.js. */
  ours_calls?: number;
  delegated_calls?: number;
}

export interface TfjsStackOptions {
  /** Batch 1 instead of 8. */
  quick?: boolean;
  shape?: [number, number, number, number];
  /** The 3-D stack's input, [N, D, H, W, C]. */
  shape3d?: [number, number, number, number, number];
  plan?: RunPlan;
  log?: (line: string) => void;
}

export const TFJS_STACK_CASE = 'tfjs_stack_r50stem';
export const TFJS_STACK_3D_CASE = 'tfjs_stack_3d';
const FULL_SHAPE: [number, number, number, number] = [8, 112, 112, 64];
const FULL_SHAPE_3D: [number, number, number, number, number] = [4, 16, 56, 56, 32];
const DEFAULT_PLAN: RunPlan = { warmup: 2, minRuns: 3, maxRuns: 20, budgetMs: 3000, e2eRuns: 0, longRunMs: 2000 };

/** The 2-D model: nothing in it knows about the plug-in. */
function stack(tf: Tf, x: TfCore.Tensor): TfCore.Tensor {
  const a = tf.maxPool(x as TfCore.Tensor4D, 3, 2, 'same');
  const b = tf.avgPool(a, 2, 2, 'valid');
  const c = tf.maxPool(b, 2, 2, 'valid');
  return tf.mean(c, [1, 2]);
}

/** The 3-D model (MaxPool3D, AvgPool3D and their gradients). */
function stack3d(tf: Tf, x: TfCore.Tensor): TfCore.Tensor {
  const a = tf.maxPool3d(x as TfCore.Tensor5D, 3, 2, 'same');
  const b = tf.avgPool3d(a, 2, 2, 'valid');
  return tf.mean(b, [1, 2, 3]);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

export async function runTfjsStack(options: TfjsStackOptions = {}): Promise<TfjsStackRow[]> {
  const { tf, settle } = await startTfjsWebGpu('the TF.js stack', { gradients: true });
  const quick = (s: readonly number[]) => [1, ...s.slice(1)];
  const cases = [
    { name: TFJS_STACK_CASE, shape: options.shape ?? (options.quick ? quick(FULL_SHAPE) : FULL_SHAPE), model: stack },
    { name: TFJS_STACK_3D_CASE, shape: options.shape3d ?? (options.quick ? quick(FULL_SHAPE_3D) : FULL_SHAPE_3D), model: stack3d },
  ];
  const rows: TfjsStackRow[] = [];
  for (const c of cases) rows.push(...(await runStack(tf, settle, c.name, [...c.shape], c.model, options)));
  return rows;
}

async function runStack(tf: Tf, settle: () => Promise<void>, name: string, shape: number[], model: (tf: Tf, x: TfCore.Tensor) => TfCore.Tensor, options: TfjsStackOptions): Promise<TfjsStackRow[]> {
  const plan = options.plan ?? DEFAULT_PLAN;
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  let seed = 12345;
  for (let i = 0; i < size; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    data[i] = seed / 2 ** 32 - 0.5;
  }
  const x = tf.tensor(data, shape);
  const passes: Record<StackPass, () => TfCore.Tensor> = {
    forward: () => model(tf, x),
    'forward+backward': () => tf.grad((t: TfCore.Tensor) => tf.sum(model(tf, t)))(x),
  };
  const rows: TfjsStackRow[] = [];
  try {
    for (const pass of ['forward', 'forward+backward'] as const) {
      const compute = passes[pass];
      const measure = async (impl: StackImpl, plugin?: TfjsPlugin): Promise<{ row: TfjsStackRow; result: Float32Array }> => {
        const first = tf.tidy(compute);
        const result = Float32Array.from(await first.data());
        first.dispose();
        const times = await repeat(plan, async () => {
          const y = tf.tidy(compute);
          await settle();
          y.dispose();
        });
        const calls = plugin ? Object.values(plugin.counts) : [];
        const row: TfjsStackRow = { case: name, shape, pass, impl, ms: median(times), runs: times.length, max_abs_err: 0, ok: true };
        if (plugin) {
          row.ours_calls = calls.reduce((a, c) => a + c.ours, 0);
          row.delegated_calls = calls.reduce((a, c) => a + c.delegated, 0);
        }
        return { row, result };
      };
      const theirs = await measure('tfjs-webgpu');
      options.log?.(`${name} ${pass}: TF.js's kernels ${theirs.row.ms.toFixed(2)} ms`);
      const plugin = registerTfjsKernels(tf);
      let ours;
      try {
        ours = await measure('tfjs-webgpu+ours', plugin);
      } finally {
        plugin.unregister();
      }
      ours.row.max_abs_err = maxAbsDiff(ours.result, theirs.result);
      // The mean of ~N·C pooled values per output: f32 rounding of the sums, far below this bound.
      ours.row.ok = ours.row.max_abs_err <= 1e-4 && ours.row.delegated_calls === 0 && (ours.row.ours_calls ?? 0) > 0;
      options.log?.(`${name} ${pass}: with the plug-in ${ours.row.ms.toFixed(2)} ms, max |err| ${ours.row.max_abs_err.toExponential(1)}`);
      rows.push(theirs.row, ours.row);
    }
  } finally {
    x.dispose();
  }
  return rows;
}

/** A plain-text table of the rows, per stack, with the plug-in's speed-up per pass. */
export function formatTfjsStack(rows: readonly TfjsStackRow[]): string {
  const titles: Record<string, string> = {
    [TFJS_STACK_CASE]: 'TF.js stack (maxPool 3/2 same → avgPool 2/2 → maxPool 2/2 → mean)',
    [TFJS_STACK_3D_CASE]: 'TF.js 3-D stack (maxPool3d 3/2 same → avgPool3d 2/2 → mean)',
  };
  const lines: string[] = [];
  for (const name of [...new Set(rows.map((r) => r.case))]) {
    const own = rows.filter((r) => r.case === name);
    lines.push(`${titles[name] ?? name}, [${own[0]?.shape.join(', ') ?? ''}]`);
    lines.push('pass               TF.js ms   +plug-in ms   speed-up   max |err|   ok');
    for (const pass of ['forward', 'forward+backward'] as const) {
      const t = own.find((r) => r.pass === pass && r.impl === 'tfjs-webgpu');
      const o = own.find((r) => r.pass === pass && r.impl === 'tfjs-webgpu+ours');
      if (!t || !o) continue;
      lines.push(
        `${pass.padEnd(18)} ${t.ms.toFixed(2).padStart(8)}   ${o.ms.toFixed(2).padStart(11)}   ${(t.ms / o.ms).toFixed(2).padStart(7)}×   ${o.max_abs_err.toExponential(1).padStart(9)}   ${o.ok ? 'yes' : 'NO'}`,
      );
    }
  }
  return lines.join('\n');
}

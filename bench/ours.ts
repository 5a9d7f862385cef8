/**
 * Our implementation under the benchmark: each op through the public API (src/index.ts), checked
 * against the CPU reference, timed with timestamps on WebGPU (timing.ts), and end to end.
 * Environment-agnostic.
 */
import { webgpuBackendOf } from '../src/host/webgpu-backend.js';
import type { Pooling, Tensor } from '../src/index.js';
import type { BackwardAlgorithm } from '../src/types.js';
import { combine, compareIndices, compareValues, ruleFor, type Comparison } from './compare.js';
import { windowedOp, type Pass } from './cases.js';
import { median, repeat, timeGpu, type RunPlan, type TimestampTarget } from './timing.js';
import type { TimingSource } from './rows.js';
import type { Workload } from './workload.js';

interface ForwardResult {
  output: Tensor<'float32'> | Tensor<'float16'>;
  indices?: Tensor<'int32'>;
}

/** The op's forward and backward calls on a context, as a user writes them. */
export interface OpCalls {
  forward(x: Tensor, withIndices: boolean): Promise<ForwardResult>;
  backward(dy: Tensor, indices: Tensor | undefined): Promise<Tensor<'float32'> | Tensor<'float16'>>;
}

export function opCalls(pool: Pooling, w: Workload, backward?: BackwardAlgorithm): OpCalls {
  // The backward ops take the forward's options, the input shape and (when asked) the form.
  const inputShape = w.input;
  const form = backward ? { backward } : {};
  switch (w.op) {
    case 'maxPool1d':
    case 'maxPool3d': {
      const [fwd, bwd] = w.op === 'maxPool1d' ? [pool.maxPool1d, pool.maxPool1dBackward] : [pool.maxPool3d, pool.maxPool3dBackward];
      return {
        forward: (x, returnIndices) => fwd.call(pool, x, { ...w.maxOptions(), returnIndices }),
        backward: (dy, indices) => bwd.call(pool, dy, indices!, { ...w.maxOptions(), inputShape, ...form }),
      };
    }
    case 'avgPool1d':
    case 'avgPool3d': {
      const [fwd, bwd] = w.op === 'avgPool1d' ? [pool.avgPool1d, pool.avgPool1dBackward] : [pool.avgPool3d, pool.avgPool3dBackward];
      return {
        forward: async (x) => ({ output: await fwd.call(pool, x, w.avgOptions()) }),
        backward: (dy) => bwd.call(pool, dy, { ...w.avgOptions(), inputShape, ...form }),
      };
    }
    case 'maxPool2d':
      return {
        forward: (x, returnIndices) => pool.maxPool2d(x, { ...w.maxOptions(), returnIndices }),
        backward: (dy, indices) => pool.maxPool2dBackward(dy, indices!, { ...w.maxOptions(), inputShape, ...form }),
      };
    case 'avgPool2d':
      return {
        forward: async (x) => ({ output: await pool.avgPool2d(x, w.avgOptions()) }),
        backward: (dy) => pool.avgPool2dBackward(dy, { ...w.avgOptions(), inputShape, ...form }),
      };
    case 'globalMaxPool':
      return {
        forward: (x, returnIndices) => pool.globalMaxPool(x, { returnIndices, keepDims: true }),
        backward: (dy, indices) => pool.globalMaxPoolBackward(dy, indices!, { inputShape }),
      };
    case 'globalAvgPool':
      return {
        forward: async (x) => ({ output: await pool.globalAvgPool(x, { keepDims: true }) }),
        backward: (dy) => pool.globalAvgPoolBackward(dy, { inputShape }),
      };
  }
}

export interface OursResult {
  kernelMs: number;
  timing: TimingSource;
  wallMs: number;
  e2eMs: number;
  runs: number;
  check: Comparison;
}

async function timeCpu(plan: RunPlan, run: () => Promise<void>) {
  const times = await repeat(plan, run);
  const ms = median(times);
  return { ms, source: 'cpu' as TimingSource, wallMs: ms, runs: times.length };
}

function destroyAll(r: ForwardResult | Tensor): void {
  if ('output' in r) {
    r.output.destroy();
    r.indices?.destroy();
  } else {
    r.destroy();
  }
}

/**
 * Measures one pass of our op on `pool`. Forward is timed without indices (inference, as PyTorch
 * and TF.js run it); the check asks for indices too and compares them exactly. Backward takes the
 * indices of our own forward, as a training step would, and is checked against the reference
 * backward of the reference's indices. A float16 workload uploads its halves and reads the result
 * back widened (`readFloat32()`), against the reference rounded to half once.
 */
export async function measureOurs(pool: Pooling, w: Workload, pass: Pass, plan: RunPlan, backward?: BackwardAlgorithm): Promise<OursResult> {
  const calls = opCalls(pool, w, backward);
  const layout = w.tensorLayout;
  const owned: Tensor[] = [];
  // float16 uploads the workload's halves (bits), so nothing is rounded again on the way in.
  const f16 = w.dtype === 'float16';
  const make = (which: 'x' | 'dy', shape: readonly number[]): Tensor =>
    f16 ? pool.tensor(which === 'x' ? w.xHalves! : w.dyHalves!, shape, { layout, dtype: 'float16' }) : pool.tensor(which === 'x' ? w.x : w.dy, shape, { layout });
  const upload = (which: 'x' | 'dy', shape: readonly number[]) => {
    const t = make(which, shape);
    owned.push(t);
    return t;
  };
  try {
    const rule = ruleFor(w.op, pass, w.window, w.planeSize, w.dtype);
    let check: Comparison;
    let run: () => Promise<void>;
    let e2eOnce: () => Promise<void>;
    if (pass === 'forward') {
      const x = upload('x', w.input);
      const want = w.referenceForward();
      const got = await calls.forward(x, w.hasIndices);
      check = compareValues(await got.output.readFloat32(), want.output, rule);
      if (want.indices) check = combine(check, got.indices ? compareIndices(await got.indices.read(), want.indices) : { maxAbsErr: 0, ok: false, detail: 'no indices returned' });
      destroyAll(got);
      run = async () => destroyAll(await calls.forward(x, false));
      e2eOnce = async () => {
        const input = make('x', w.input);
        const r = await calls.forward(input, false);
        await r.output.read();
        destroyAll(r);
        input.destroy();
      };
    } else {
      // Max backward needs the forward's indices; the averages need no forward at all.
      const fwd: Partial<ForwardResult> = w.hasIndices ? await calls.forward(upload('x', w.input), true) : {};
      if (fwd.output) owned.push(fwd.output);
      if (fwd.indices) owned.push(fwd.indices);
      const dy = upload('dy', w.output);
      const want = w.referenceBackward();
      const dx = await calls.backward(dy, fwd.indices);
      check = compareValues(await dx.readFloat32(), want.output, rule);
      dx.destroy();
      run = async () => destroyAll(await calls.backward(dy, fwd.indices));
      e2eOnce = async () => {
        const g = make('dy', w.output);
        const r = await calls.backward(g, fwd.indices);
        await r.read();
        r.destroy();
        g.destroy();
      };
    }
    // The check run warmed up the timed call, except max forward (timed without indices): one
    // warm-up run fewer there. Timed runs come before e2e, so e2e never pays a pipeline compile.
    const checkWasTimedCall = !(pass === 'forward' && windowedOp(w.op)?.reduction === 'max');
    const timedPlan = checkWasTimedCall ? { ...plan, warmup: Math.max(plan.warmup - 1, 0) } : plan;
    const t = pool.backend === 'webgpu' ? await timeGpu(webgpuBackendOf(pool)!, timedPlan, run) : await timeCpu(timedPlan, run);
    const e2e = await repeat({ ...plan, warmup: 0, minRuns: 1 }, e2eOnce, plan.e2eRuns);
    return { kernelMs: t.ms, timing: t.source, wallMs: t.wallMs, e2eMs: median(e2e), runs: t.runs, check };
  } finally {
    for (const t of owned) t.destroy();
  }
}

/**
 * Each stage against the CPU reference run of the same pipeline, with SEMANTICS.md's rule (the
 * benchmark's compare.ts): max values and indices bit-exact, sums within tolerance. Reads every
 * output once, after the whole pipeline ran; the page draws from the same arrays.
 */
import { combine, compareIndices, compareValues, type Comparison } from '../bench/compare.js';
import type { Tensor } from '../src/index.js';
import type { PipelineRun } from './pipeline.js';

/** One row of `window.__poolingDemo`. */
export interface DemoRow {
  stage: string;
  group: string;
  call: string;
  backend: 'webgpu' | 'cpu';
  shape: number[];
  ms: number;
  ok: boolean;
  max_abs_err: number;
  detail?: string;
}

export interface CheckedStage {
  row: DemoRow;
  /** The stage's output values, as read back. */
  values: Float32Array;
  shape: readonly number[];
}

async function readFloat(t: Tensor): Promise<Float32Array> {
  return (await t.read()) as Float32Array;
}

export async function checkAgainstReference(run: PipelineRun, reference: PipelineRun, backend: 'webgpu' | 'cpu'): Promise<CheckedStage[]> {
  const checked: CheckedStage[] = [];
  for (const { spec, ms } of run.stages) {
    const got = run.tensors.get(spec.id)!;
    const want = reference.tensors.get(spec.id)!;
    const values = await readFloat(got);
    let cmp: Comparison = compareValues(values, await readFloat(want), spec.rule);
    const indices = run.tensors.get(`${spec.id}.indices`);
    if (indices) cmp = combine(cmp, compareIndices((await indices.read()) as Int32Array, (await reference.tensors.get(`${spec.id}.indices`)!.read()) as Int32Array));
    const row: DemoRow = {
      stage: spec.id,
      group: spec.group,
      call: spec.call,
      backend,
      shape: [...got.shape],
      ms,
      ok: cmp.ok,
      max_abs_err: cmp.maxAbsErr,
      ...(cmp.detail ? { detail: cmp.detail } : {}),
    };
    checked.push({ row, values, shape: got.shape });
  }
  return checked;
}

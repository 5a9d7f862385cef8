/**
 * What `createPooling({ fallbackToCpu: true })` keeps so that a context whose GPU device is lost can
 * finish every call on the CPU backend: a host copy of each uploaded tensor's data, and for each op
 * output a recipe (the op, its input tensors and its resolved parameters). After a loss a tensor's
 * contents come from its host copy, or are recomputed from its recipe on the CPU, recursively, and
 * then kept; the recipe is dropped, so the graph behind it can be collected.
 *
 * Memory: one host copy per uploaded tensor (its byte size), held while that tensor or any tensor
 * computed from it is reachable, even after destroy(); a recipe is a few small objects. Tensors that
 * wrap an application's buffer (fromGPUBuffer) have neither, and fail after a loss.
 */
import type { MaxPoolResult } from '../backend.js';
import type { CpuBackend } from '../cpu-backend.js';
import { cpuRuntime } from '../cpu-runtime-loader.js';
import { disown } from '../cpu/host-arrays.js';
import { PoolingError } from '../errors.js';
import type { HostData, Tensor, TensorDType } from '../tensor.js';

export type OpResult = Tensor | MaxPoolResult;

/** An op on the CPU backend, over CPU tensors holding its inputs' contents. */
export type CpuOp<R extends OpResult> = (cpu: CpuBackend, inputs: Tensor[]) => Promise<R>;



interface Recipe {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly run: CpuOp<OpResult>;
  /** Every tensor of the op's result, with the key that picks it from a result. */
  readonly outputs: readonly (readonly [ResultKey, Tensor])[];
}

type ResultKey = 'tensor' | 'output' | 'indices';

/** The tensors of an op result, keyed by where they sit in it. */
export function resultTensors(r: OpResult): [ResultKey, Tensor][] {
  if ('owner' in r) return [['tensor', r]];
  return r.indices ? [['output', r.output], ['indices', r.indices]] : [['output', r.output]];
}

function pick(r: OpResult, key: ResultKey): Tensor | undefined {
  if ('owner' in r) return r;
  return key === 'indices' ? r.indices : r.output;
}

export class CpuFallback {
  /** createPooling loaded the CPU runtime before it made a context with the fallback. */
  private readonly cpu: CpuBackend = new (cpuRuntime().CpuBackend)();
  private readonly host = new WeakMap<Tensor, HostData>();
  private readonly recipes = new WeakMap<Tensor, Recipe>();
  private readonly computing = new WeakMap<Tensor, Promise<HostData>>();

  /** Keeps `data` as the host contents of `t` (the caller's copy, not shared with the user). */
  keep(t: Tensor, data: HostData): void {
    this.host.set(t, data);
  }

  /** Remembers how `result` was computed, to recompute it on the CPU after a loss. */
  record(op: string, result: OpResult, inputs: readonly Tensor[], run: CpuOp<OpResult>): void {
    const recipe: Recipe = { op, inputs: [...inputs], run, outputs: resultTensors(result) };
    for (const [, t] of recipe.outputs) this.recipes.set(t, recipe);
  }

  /** The host contents of `t`: kept, or recomputed on the CPU from its recipe (once, shared by concurrent callers). */
  data(t: Tensor, op: string): Promise<HostData> {
    const kept = this.host.get(t);
    if (kept) return Promise.resolve(kept);
    let pending = this.computing.get(t);
    if (!pending) {
      pending = this.recompute(t, op);
      this.computing.set(t, pending);
    }
    return pending;
  }

  /** Runs an op on the CPU over the host contents of `inputs`; the result's tensors belong to the CPU backend. */
  async compute<R extends OpResult>(op: string, inputs: readonly Tensor[], run: CpuOp<R>): Promise<R> {
    const datas = await Promise.all(inputs.map((t) => this.data(t, op)));
    // The kept contents themselves, not copies: CPU kernels never write their inputs (a 100 MB copy
    // would be one long synchronous stretch).
    const cpuInputs = inputs.map((t, i) => this.cpu.adopt(datas[i]!, t.shape, t.layout, t.dtype));
    try {
      return await run(this.cpu, cpuInputs);
    } finally {
      for (const t of cpuInputs) t.destroy();
    }
  }

  /** The data of a CPU-backend tensor, which the caller now owns. */
  static dataOf(t: Tensor, op: string): HostData {
    const data = t.storage(op).data!;
    // It stays in use after the CPU tensor is destroyed: not an array to reuse.
    disown(data);
    return data;
  }

  private async recompute(t: Tensor, op: string): Promise<HostData> {
    const recipe = this.recipes.get(t);
    if (!recipe) {
      throw new PoolingError(
        op,
        undefined,
        'the GPU device was lost and this tensor existed only on the GPU (it wraps an application buffer), so the CPU fallback cannot recompute it',
      );
    }
    try {
      const result = await this.compute(op, recipe.inputs, recipe.run);
      for (const [key, sibling] of recipe.outputs) {
        const computed = pick(result, key);
        if (computed) {
          this.host.set(sibling, CpuFallback.dataOf(computed, op));
          computed.destroy();
        }
        this.recipes.delete(sibling);
      }
      return this.host.get(t)!;
    } finally {
      this.computing.delete(t);
    }
  }
}

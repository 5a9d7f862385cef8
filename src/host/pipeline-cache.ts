/**
 * Compiled pipelines hang off their device (WeakMap), so a lost or destroyed device takes them
 * along. The key is what changes the code: the WGSL, the entry point and the override constants.
 *
 * Ops create their pipelines with createComputePipelineAsync before their synchronous encode
 * (preparePipelines, awaited by the WebGPU backend): compiling a pipeline takes tens of ms to over
 * a hundred on a software adapter, and done synchronously it would block the event loop that long.
 * Concurrent calls needing the same pipeline share one creation; a creation that fails is not
 * cached, so a later call tries again. getPipeline (the encode path) then finds every pipeline
 * made; it still creates one synchronously for callers that did not prepare.
 */
import { PoolingError } from '../errors.js';
import type { KernelPlan } from '../kernels/kernel.js';
import { yieldToEventLoop } from './yielding.js';
import { errorMessage, scoped, type ScopeError } from './error-scopes.js';

interface DeviceCaches {
  modules: Map<string, GPUShaderModule>;
  pipelines: Map<string, GPUComputePipeline>;
  /** Creations under way, by pipeline key. */
  pending: Map<string, Promise<GPUComputePipeline>>;
  /** The last creation's turn to run its synchronous part: creations queue behind it. */
  turns: Promise<void>;
}

const caches = new WeakMap<GPUDevice, DeviceCaches>();

function cachesOf(device: GPUDevice): DeviceCaches {
  let c = caches.get(device);
  if (!c) {
    c = { modules: new Map(), pipelines: new Map(), pending: new Map(), turns: Promise.resolve() };
    caches.set(device, c);
  }
  return c;
}

export function pipelineKey(plan: KernelPlan): string {
  const constants = Object.keys(plan.constants)
    .sort()
    .map((k) => `${k}=${plan.constants[k]}`)
    .join(',');
  return `${plan.label}|${plan.entryPoint}|${constants}`;
}

function pipelineDescriptor(key: string, module: GPUShaderModule, plan: KernelPlan): GPUComputePipelineDescriptor {
  return { label: key, layout: 'auto', compute: { module, entryPoint: plan.entryPoint, constants: ownRecord(plan.constants) } };
}

/** The pipeline of `plan`, created synchronously if no preparePipelines made it (inside the caller's error scopes). */
export function getPipeline(device: GPUDevice, plan: KernelPlan): GPUComputePipeline {
  const c = cachesOf(device);
  const key = pipelineKey(plan);
  let pipeline = c.pipelines.get(key);
  if (!pipeline) {
    let module = c.modules.get(plan.code);
    if (!module) {
      module = device.createShaderModule({ label: plan.label, code: plan.code });
      c.modules.set(plan.code, module);
    }
    pipeline = device.createComputePipeline(pipelineDescriptor(key, module, plan));
    c.pipelines.set(key, pipeline);
  }
  return pipeline;
}

/** A task of its own, after every turn taken before on this device (see nextTurn). */
function takeTurn(c: DeviceCaches): Promise<void> {
  const turn = c.turns.then(yieldToEventLoop);
  c.turns = turn;
  return turn;
}

/**
 * A task of its own for one synchronous stretch on `device`, queued behind the others: the ops that
 * waited for their pipelines encode one per task, not all in the task where their pipelines came.
 */
export function nextTurn(device: GPUDevice): Promise<void> {
  return takeTurn(cachesOf(device));
}

/** Whether every plan's pipeline is made already: then an op needs no await before its encode. */
export function pipelinesReady(device: GPUDevice, plans: readonly KernelPlan[]): boolean {
  const c = caches.get(device);
  return plans.every((plan) => c?.pipelines.has(pipelineKey(plan)) ?? false);
}

/** Why a creation failed, told as a PoolingError by each op that waited on it. */
class PipelineFailure {
  constructor(
    readonly message: string,
    readonly cause: unknown,
  ) {}
}

/**
 * Makes the pipelines of `plans` with createComputePipelineAsync (shared with concurrent callers),
 * so that the op's synchronous encode finds them. A failure is a PoolingError naming `op`, with the
 * GPU's error (a GPUPipelineError, or the shader module's validation error) as cause; nothing
 * failed is cached.
 */
export async function preparePipelines(device: GPUDevice, plans: readonly KernelPlan[], op: string): Promise<void> {
  const c = cachesOf(device);
  const waits: Promise<GPUComputePipeline>[] = [];
  for (const plan of plans) {
    const key = pipelineKey(plan);
    if (c.pipelines.has(key)) continue;
    let pending = c.pending.get(key);
    if (!pending) {
      pending = createPipeline(device, c, key, plan);
      c.pending.set(key, pending);
    }
    waits.push(pending);
  }
  if (waits.length === 0) return;
  // Every creation settles before the first failure is reported, so none runs on unobserved.
  const settled = await Promise.allSettled(waits);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failed) return;
  const f = failed.reason instanceof PipelineFailure ? failed.reason : new PipelineFailure(`GPU call failed: ${errorMessage(failed.reason)}`, failed.reason);
  throw new PoolingError(op, undefined, f.message, { cause: f.cause });
}

async function createPipeline(device: GPUDevice, c: DeviceCaches, key: string, plan: KernelPlan): Promise<GPUComputePipeline> {
  try {
    // Each new pipeline's synchronous part (its shader module: WGSL parsed and checked, up to some
    // tens of ms) in a task of its own, one after another: not in one stretch with every other op
    // issued in the same task (a batch of immediates runs in one go, with no timer in between).
    await takeTurn(c);
    let module = c.modules.get(plan.code);
    let moduleCheck: Promise<ScopeError | null> = Promise.resolve(null);
    if (!module) {
      // The module's own errors (WGSL) go to error scopes, not to the pipeline's promise.
      const made = scoped(device, () => device.createShaderModule({ label: plan.label, code: plan.code }));
      if (made.thrown !== undefined) throw new PipelineFailure(`GPU call failed: ${errorMessage(made.thrown)}`, made.thrown);
      module = made.value!;
      c.modules.set(plan.code, module);
      moduleCheck = made.gpuError;
    }
    let pipeline: GPUComputePipeline | undefined;
    let failure: unknown;
    try {
      if (typeof device.createComputePipelineAsync === 'function') {
        pipeline = await device.createComputePipelineAsync(pipelineDescriptor(key, module, plan));
      } else {
        // An implementation without it: made synchronously, its errors in scopes of its own.
        const made = scoped(device, () => device.createComputePipeline(pipelineDescriptor(key, module, plan)));
        const error = await made.gpuError;
        if (made.thrown !== undefined || error) throw made.thrown ?? error!.error;
        pipeline = made.value;
      }
    } catch (e) {
      failure = e;
    }
    const moduleError = await moduleCheck;
    if (moduleError) {
      if (c.modules.get(plan.code) === module) c.modules.delete(plan.code);
      throw new PipelineFailure(`GPU ${moduleError.kind} error: ${moduleError.message}`, moduleError.error);
    }
    if (!pipeline) {
      const reason = (failure as { reason?: string } | null)?.reason;
      throw new PipelineFailure(`GPU pipeline creation failed${reason ? ` (${reason})` : ''}: ${errorMessage(failure)}`, failure);
    }
    c.pipelines.set(key, pipeline);
    return pipeline;
  } finally {
    c.pending.delete(key);
  }
}

export function pipelineCount(device: GPUDevice): number {
  return caches.get(device)?.pipelines.size ?? 0;
}

/** Drops a device's pipelines and modules: the context that owned the device destroyed it. */
export function forgetDevice(device: GPUDevice): void {
  caches.delete(device);
}

/**
 * A copy of `values` with no prototype: the GPU binding enumerates the constants it is given, and an
 * object inheriting from a polluted Object.prototype would hand it names the shader does not have.
 */
function ownRecord(values: Readonly<Record<string, number>>): Record<string, number> {
  return Object.assign(Object.create(null) as Record<string, number>, values);
}

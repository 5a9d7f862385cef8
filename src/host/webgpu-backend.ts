/**
 * The WebGPU backend: owns the device (or borrows the application's), the buffer pool, and the
 * submission of every op.
 *
 * Every GPU call of an op (allocations, uploads, encoding, submit) runs synchronously between a push
 * and a pop of validation and out-of-memory error scopes, so concurrent calls never see each
 * other's errors; the pops are awaited afterwards. An op whose pipelines are new first awaits their
 * creation (createComputePipelineAsync, pipeline-cache.ts), so no compile blocks the event loop;
 * meanwhile its inputs' buffers are pinned, so destroying a tensor right after issuing the op that
 * reads it stays safe. A GPU error becomes a PoolingError with the GPU's
 * error as `cause`, the buffers the call made are destroyed rather than pooled, and the context stays
 * usable. tensor() is synchronous: its upload's scope is checked on the tensor's next use or read.
 * After a device loss every call fails with a PoolingError saying so, or, with fallbackToCpu,
 * finishes on the CPU backend (cpu-fallback.ts).
 */
import type { MaxPoolResult, PoolingBackend } from '../backend.js';
import { PoolingError, invalid } from '../errors.js';
import { avgPoolForwardPlan } from '../kernels/avg-pool.js';
import { avgPoolBackwardPlan } from '../kernels/avg-pool-backward.js';
import { chooseBackwardForm, type BackwardPlan } from '../kernels/backward-choice.js';
import { globalBackwardPlan } from '../kernels/global-backward.js';
import { globalPoolPlan, type GlobalKind } from '../kernels/global-pool.js';
import type { BindingBuffers, KernelPlan } from '../kernels/kernel.js';
import { maxPoolForwardPlan } from '../kernels/max-pool.js';
import { maxPoolBackwardPlan } from '../kernels/max-pool-backward.js';
import { adapterProfile } from '../adapter-profile.js';
import { tensorBytes } from '../dtypes.js';
import { descriptorResult, specBytes, type DeviceProfile, type GpuChoice, type OpDescriptor, type OpPlan } from '../ops/descriptor.js';
import { tuningKey } from '../tuning/key.js';
import { TuningAborted, type Tuner } from '../tuning/tuner.js';
import { Tensor, type HostData, type TensorDType, type TensorOwner } from '../tensor.js';
import type { AdapterInfoSummary, BackendName, TensorLayout } from '../types.js';
import { BufferPool } from './buffer-pool.js';
import { errorMessage, gpuFailure, scoped as inErrorScopes, type ScopeError } from './error-scopes.js';
import { copyInSlices } from './yielding.js';
import { CpuFallback, type CpuOp, type OpResult } from './cpu-fallback.js';
import { deviceBindingLimits, encodeSteps, type Step, type TimestampSink } from './dispatch.js';
import { BufferUsage, MapMode } from './gpu-flags.js';
import { forgetDevice, nextTurn, pipelineCount, pipelinesReady, preparePipelines } from './pipeline-cache.js';
import { forgetBuffers, forgetSubmissionCache } from './submission-cache.js';
import { readDurations } from './timestamps.js';
import type { BindingLimits } from './split.js';

const STORAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

/** How long a failed call waits for device.lost to settle, to tell a loss from another failure. */
const LOSS_GRACE_MS = 50;

export interface LostInfo {
  reason: string;
  message: string;
}

export interface WebGpuBackendOptions {
  /** After a device loss, finish calls on the CPU backend (keeps host copies and recipes meanwhile). */
  fallbackToCpu?: boolean;
  /** Split dispatches at this binding size, when smaller than the device's maxStorageBufferBindingSize. */
  maxStorageBufferBindingSize?: number;
  /** Chooses between the alternatives an op offers (src/tuning/); absent: the rules. */
  tuner?: Tuner;
}

/** The kernels a plan's steps run (clear steps need no pipeline). */
function kernelPlans(steps: readonly Step[]): KernelPlan[] {
  return steps.flatMap((s) => (s.kind === 'kernel' ? [s.plan] : []));
}

/** What one op acquired: its output tensors, and buffers to pool once the op is known to be good. */
class OpAllocation {
  readonly tensors: Tensor[] = [];
  readonly buffers: GPUBuffer[] = [];
}

/** `halves` followed by zero halves up to `byteLength` bytes. */
function padToWords(halves: Uint16Array, byteLength: number): Uint16Array {
  const padded = new Uint16Array(byteLength / 2);
  padded.set(halves);
  return padded;
}

export class WebGpuBackend implements PoolingBackend, TensorOwner {
  readonly pool: BufferPool;
  readonly lost: Promise<LostInfo>;
  /** Set by the benchmark to time the next op's passes with timestamp queries. */
  timestamps: TimestampSink | undefined;
  readonly limits: BindingLimits;
  private lostInfo: LostInfo | undefined;
  private destroyed = false;
  /** Resolves at destroy(): calls waiting for their pipelines stop waiting. */
  private readonly destroyedSignal: Promise<void>;
  private signalDestroyed: () => void = () => {};
  private readonly fallback: CpuFallback | null;
  readonly tuner: Tuner | undefined;
  /** Upload scopes not yet seen to pass: tensor → its GPU error, or null. */
  private readonly uploads = new WeakMap<Tensor, Promise<ScopeError | null>>();

  constructor(
    readonly device: GPUDevice,
    readonly adapterInfo: AdapterInfoSummary | null,
    private readonly ownsDevice: boolean,
    options: WebGpuBackendOptions = {},
  ) {
    this.pool = new BufferPool(device);
    this.destroyedSignal = new Promise<void>((r) => (this.signalDestroyed = r));
    this.fallback = options.fallbackToCpu ? new CpuFallback() : null;
    this.tuner = options.tuner;
    const deviceLimits = deviceBindingLimits(device);
    this.limits = { ...deviceLimits, maxBindingSize: Math.min(deviceLimits.maxBindingSize, options.maxStorageBufferBindingSize ?? Infinity) };
    this.lost = device.lost.then((info) => {
      this.lostInfo = { reason: info.reason ?? 'unknown', message: info.message };
      // The buffers died with the device; drop them (tensors releasing theirs later is harmless).
      this.pool.destroyAll();
      forgetSubmissionCache(device);
      return this.lostInfo;
    });
  }

  /** 'webgpu', or 'cpu' once the device was lost and calls finish on the CPU fallback. */
  get name(): BackendName {
    return this.onCpu ? 'cpu' : 'webgpu';
  }

  private get onCpu(): boolean {
    return this.lostInfo !== undefined && this.fallback !== null && !this.destroyed;
  }

  checkUsable(op: string): void {
    if (this.destroyed) throw new PoolingError(op, undefined, 'the pooling context was destroyed');
    if (this.lostInfo && !this.fallback) throw this.lostError(op);
  }

  /** A call in flight when the context was destroyed: said so, on an application's device and the library's own alike. */
  private destroyedError(op: string, what = 'call'): PoolingError {
    return new PoolingError(op, undefined, `the pooling context was destroyed while this ${what} was in flight`);
  }

  private lostError(op: string): PoolingError {
    const info = this.lostInfo!;
    return new PoolingError(op, undefined, `the GPU device was lost (${info.reason}: ${info.message}); call createPooling() again`);
  }

  /** After a failure: gives device.lost a moment to settle, so a loss is reported as one. */
  private async settleLoss(): Promise<void> {
    if (this.lostInfo) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.lost, new Promise((r) => (timer = setTimeout(r, LOSS_GRACE_MS)))]);
    clearTimeout(timer);
  }

  /** A byte size the device can allocate, checked before anything is. */
  private checkBufferSize(op: string, option: string, value: unknown, bytes: number): void {
    const max = this.device.limits.maxBufferSize;
    if (bytes > max) invalid(op, option, value, `a tensor of ${bytes} bytes exceeds this device's maxBufferSize (${max} bytes)`);
  }

  /** The GPU error of `t`'s upload, or null once it is known to have passed. */
  private async uploadError(t: Tensor): Promise<ScopeError | null> {
    const check = this.uploads.get(t);
    if (!check) return null;
    const error = await check;
    if (!error) this.uploads.delete(t);
    return error;
  }

  /** Uploads `data`, which the backend may keep: the caller hands over its own copy (tensor() always copies). */
  upload<D extends TensorDType>(data: D extends 'int32' ? Int32Array : D extends 'float16' ? Uint16Array : Float32Array, shape: readonly number[], layout: TensorLayout, dtype: D): Tensor<D> {
    const op = 'tensor';
    // `data` may be a view of the caller's memory (tensor-checks.ts lends unshared float32 arrays):
    // whatever is kept is copied; writeBuffer copies by itself.
    if (this.onCpu) return this.hostTensor(data.slice(), shape, layout, dtype);
    // Storage is whole 32-bit words: an odd number of halves is written with one zero half after it.
    const byteLength = tensorBytes(shape, dtype);
    const words = byteLength === data.byteLength ? data : padToWords(data as Uint16Array, byteLength);
    this.checkBufferSize(op, 'shape', shape, byteLength);
    let buffer: GPUBuffer | undefined;
    const scoped = inErrorScopes(this.device, () => {
      buffer = this.pool.acquire(byteLength, STORAGE, 'tensor');
      this.device.queue.writeBuffer(buffer, 0, words.buffer, words.byteOffset, byteLength);
    });
    if (scoped.thrown !== undefined) {
      if (buffer) this.pool.discard(buffer);
      throw new PoolingError(op, undefined, `GPU upload failed: ${errorMessage(scoped.thrown)}`, { cause: scoped.thrown });
    }
    const t = new Tensor(this, [...shape], layout, dtype, { buffer: buffer!, byteLength, owned: true });
    this.uploads.set(
      t,
      scoped.gpuError.then((e) => {
        if (e) this.pool.distrust(buffer!);
        return e;
      }),
    );
    this.fallback?.keep(t, data.slice());
    return t;
  }

  wrapBuffer(buffer: GPUBuffer, shape: readonly number[], layout: TensorLayout, dtype: TensorDType): Tensor {
    if (this.lostInfo) {
      throw new PoolingError('fromGPUBuffer', undefined, `the GPU device was lost (${this.lostInfo.reason}); application buffers cannot be used any more`);
    }
    const byteLength = tensorBytes(shape, dtype);
    return new Tensor(this, [...shape], layout, dtype, { buffer, byteLength, owned: false });
  }

  /** An output tensor in a pooled buffer (the benchmark's entry; ops allocate through execute()). */
  allocate<D extends TensorDType>(shape: readonly number[], layout: TensorLayout, dtype: D): Tensor<D> {
    const byteLength = tensorBytes(shape, dtype);
    const buffer = this.pool.acquire(byteLength, STORAGE, 'tensor');
    return new Tensor(this, [...shape], layout, dtype, { buffer, byteLength, owned: true });
  }

  private hostTensor<D extends TensorDType>(data: HostData, shape: readonly number[], layout: TensorLayout, dtype: D): Tensor<D> {
    const t = new Tensor(this, [...shape], layout, dtype, { data, byteLength: data.byteLength, owned: true });
    this.fallback!.keep(t, data);
    return t;
  }

  releaseTensor(t: Tensor): void {
    const s = t.storage('destroy');
    if (s.owned && s.buffer) this.pool.release(s.buffer);
  }

  async readTensor(t: Tensor): Promise<HostData> {
    const op = 'read';
    const s = t.storage(op);
    if (s.data) return s.data.slice();
    if (this.onCpu) return (await this.fallback!.data(t, op)).slice();
    this.checkUsable(op);
    const { buffer, byteLength } = s as { buffer: GPUBuffer; byteLength: number };
    if (!s.owned && (buffer.usage & BufferUsage.COPY_SRC) === 0) {
      invalid(op, 'buffer', buffer.usage, 'the wrapped GPUBuffer needs COPY_SRC usage to be read back');
    }
    let staging: GPUBuffer | undefined;
    const scoped = inErrorScopes(this.device, () => {
      staging = this.pool.acquire(byteLength, BufferUsage.MAP_READ | BufferUsage.COPY_DST, 'read-back');
      const encoder = this.device.createCommandEncoder({ label: 'read-back' });
      encoder.copyBufferToBuffer(buffer, 0, staging, 0, byteLength);
      this.device.queue.submit([encoder.finish()]);
    });
    let bytes: ArrayBuffer | undefined;
    let failure = scoped.thrown;
    if (failure === undefined) {
      try {
        await staging!.mapAsync(MapMode.READ, 0, byteLength);
        // A large copy out of the mapping goes in slices that yield (host/cpu-chunks.ts); a destroy()
        // meanwhile detaches the mapping and the copy throws.
        bytes = (await copyInSlices(new Uint8Array(staging!.getMappedRange(0, byteLength)))).buffer as ArrayBuffer;
        staging!.unmap();
      } catch (e) {
        failure = e;
      }
    }
    const gpuError = await scoped.gpuError;
    const uploadError = await this.uploadError(t);
    if ((gpuError || failure !== undefined) && !this.destroyed) await this.settleLoss();
    if (gpuError || failure !== undefined || this.lostInfo || this.destroyed) {
      if (staging) this.pool.discard(staging);
      if (gpuError && s.owned) this.pool.distrust(buffer);
      // destroy() destroyed the staging buffer under the mapping (and, on the library's own device,
      // the device): that is what happened, not a read-back failure or a device loss.
      if (this.destroyed) throw this.destroyedError(op, 'read');
      if (this.lostInfo) {
        if (this.fallback) return (await this.fallback.data(t, op)).slice();
        throw this.lostError(op);
      }
      if (gpuError) throw gpuFailure(op, gpuError);
      throw new PoolingError(op, undefined, `GPU read-back failed: ${errorMessage(failure)}`, { cause: failure });
    }
    this.pool.release(staging!);
    if (uploadError) throw new PoolingError(op, 'tensor', `the tensor's upload failed on the GPU (${uploadError.kind}): ${uploadError.message}`, { cause: uploadError.error });
    if (t.dtype === 'float16') return new Uint16Array(bytes!, 0, t.size);
    return t.dtype === 'int32' ? new Int32Array(bytes!) : new Float32Array(bytes!);
  }

  /**
   * Runs one op: the pipelines of `plans` are made first (awaited only when some are new); then
   * `build` allocates its outputs and names its steps and buffers, and everything up to the submit
   * happens synchronously inside the error scopes. `cpu` is the same op on the CPU backend, for the
   * fallback. A destroy() while the call is in flight rejects it saying so.
   */
  private async execute<R extends OpResult>(
    op: string,
    inputs: Record<string, Tensor>,
    plans: readonly KernelPlan[],
    build: (alloc: OpAllocation, inputBuffers: Record<string, GPUBuffer>) => { result: R; steps: Step[]; buffers: Record<string, GPUBuffer>; timestamps?: TimestampSink },
    cpu: CpuOp<R>,
  ): Promise<R> {
    const inputList = Object.values(inputs);
    if (this.onCpu) return this.onCpuBackend(op, inputList, cpu);
    this.checkUsable(op);
    // The inputs' buffers, taken now: the caller may destroy a tensor as soon as the call is issued.
    const storages = inputList.map((t) => t.storage(op));
    const inputBuffers = Object.fromEntries(Object.keys(inputs).map((slot, i) => [slot, storages[i]!.buffer!]));
    const ready = pipelinesReady(this.device, plans);
    const pinned = ready ? [] : storages.filter((s) => s.owned).map((s) => s.buffer!);
    try {
      if (!ready) {
        // New pipelines are compiled off the event loop before the synchronous encode; meanwhile the
        // inputs' buffers stay out of the pool even if their tensors are destroyed.
        for (const b of pinned) this.pool.pin(b);
        let prepareError: unknown;
        try {
          // A loss or destroy() meanwhile ends the wait at once (the creation's own outcome is then moot).
          const made = preparePipelines(this.device, plans, op);
          made.catch(() => {});
          await Promise.race([made, this.lost, this.destroyedSignal]);
          // Pipelines often arrive together: each op that waited encodes in a task of its own.
          await Promise.race([nextTurn(this.device), this.lost, this.destroyedSignal]);
        } catch (e) {
          prepareError = e;
        }
        if (prepareError !== undefined && !this.destroyed) await this.settleLoss();
        if (this.destroyed) throw this.destroyedError(op);
        if (this.lostInfo) {
          if (this.fallback) return await this.onCpuBackend(op, inputList, cpu);
          throw this.lostError(op);
        }
        if (prepareError !== undefined) throw prepareError;
      }
      return await this.encodeAndSubmit(op, inputs, inputList, storages, inputBuffers, build, cpu);
    } finally {
      for (const b of pinned) this.pool.unpin(b);
    }
  }

  /** execute()'s synchronous part inside the error scopes, then its verdict. */
  private async encodeAndSubmit<R extends OpResult>(
    op: string,
    inputs: Record<string, Tensor>,
    inputList: Tensor[],
    storages: readonly { owned: boolean; buffer?: GPUBuffer }[],
    inputBuffers: Record<string, GPUBuffer>,
    build: (alloc: OpAllocation, inputBuffers: Record<string, GPUBuffer>) => { result: R; steps: Step[]; buffers: Record<string, GPUBuffer>; timestamps?: TimestampSink },
    cpu: CpuOp<R>,
  ): Promise<R> {
    const alloc = new OpAllocation();
    const scoped = inErrorScopes(this.device, () => {
      const built = build(alloc, inputBuffers);
      const encoder = this.device.createCommandEncoder({ label: op });
      alloc.buffers.push(...encodeSteps(this.device, encoder, this.pool, built.steps, built.buffers, built.timestamps ?? this.timestamps, { op, limits: this.limits }));
      this.device.queue.submit([encoder.finish()]);
      return built.result;
    });
    const gpuError = await scoped.gpuError;
    const uploadErrors = await Promise.all(Object.entries(inputs).map(async ([name, t]) => [name, await this.uploadError(t)] as const));
    if ((gpuError || scoped.thrown !== undefined) && !this.destroyed) await this.settleLoss();
    const failedUpload = uploadErrors.find(([, e]) => e !== null);
    if (gpuError || scoped.thrown !== undefined || failedUpload || this.lostInfo || this.destroyed) {
      for (const t of alloc.tensors) this.pool.discard(t.storage(op).buffer!);
      for (const t of alloc.tensors) t.destroy();
      // The call's uniforms (cached ones included) and so every bind group it used: none is reused.
      forgetBuffers(this.device, alloc.buffers);
      for (const b of alloc.buffers) this.pool.discard(b);
      // destroy() while the call was in flight: its outputs went with the context.
      if (this.destroyed) throw this.destroyedError(op);
      if (this.lostInfo) {
        if (this.fallback) return this.onCpuBackend(op, inputList, cpu);
        throw this.lostError(op);
      }
      if (gpuError) {
        // An input's buffer may be what failed (destroyed behind the library's back): never pool it again.
        for (const st of storages) if (st.owned) this.pool.distrust(st.buffer!);
        throw gpuFailure(op, gpuError);
      }
      if (scoped.thrown instanceof PoolingError) throw scoped.thrown;
      if (scoped.thrown !== undefined) throw new PoolingError(op, undefined, `GPU call failed: ${errorMessage(scoped.thrown)}`, { cause: scoped.thrown });
      const [name, error] = failedUpload!;
      throw new PoolingError(op, name, `the ${name} tensor's upload failed on the GPU (${error!.kind}): ${error!.message}`, { cause: error!.error });
    }
    for (const b of alloc.buffers) this.pool.release(b);
    const result = scoped.value!;
    this.fallback?.record(op, result, inputList, cpu as CpuOp<OpResult>);
    return result;
  }

  /** The op on the CPU backend over its inputs' host contents; the results become this context's tensors. */
  private async onCpuBackend<R extends OpResult>(op: string, inputs: Tensor[], cpu: CpuOp<R>): Promise<R> {
    const result = await this.fallback!.compute(op, inputs, cpu);
    const own = (t: Tensor) => {
      const data = CpuFallback.dataOf(t, op);
      t.destroy();
      return this.hostTensor(data, t.shape, t.layout, t.dtype);
    };
    if ('owner' in result) return own(result) as R;
    const r = result as MaxPoolResult;
    return (r.indices ? { output: own(r.output), indices: own(r.indices) } : { output: own(r.output) }) as R;
  }

  /** Allocates inside execute(): an output tensor, checked against maxBufferSize before anything is made. */
  private output<D extends TensorDType>(alloc: OpAllocation, shape: readonly number[], layout: TensorLayout, dtype: D): Tensor<D> {
    const t = this.allocate(shape, layout, dtype);
    alloc.tensors.push(t);
    return t;
  }

  /** The benchmark's entry: runs `steps` over `buffers` in one submission; `outputs` are destroyed if it fails. */
  async submit(op: string, steps: readonly Step[], buffers: BindingBuffers, outputs: readonly Tensor[]): Promise<void> {
    this.checkUsable(op);
    try {
      await preparePipelines(this.device, kernelPlans(steps), op);
    } catch (e) {
      for (const t of outputs) t.destroy();
      throw e;
    }
    this.checkUsable(op);
    let uniforms: GPUBuffer[] = [];
    const scoped = inErrorScopes(this.device, () => {
      const encoder = this.device.createCommandEncoder({ label: op });
      uniforms = encodeSteps(this.device, encoder, this.pool, steps, buffers, this.timestamps, { op, limits: this.limits });
      this.device.queue.submit([encoder.finish()]);
    });
    const gpuError = await scoped.gpuError;
    const failed = gpuError !== null || scoped.thrown !== undefined;
    if (failed) forgetBuffers(this.device, uniforms);
    for (const u of uniforms) (failed ? this.pool.discard(u) : this.pool.release(u));
    if (gpuError || scoped.thrown !== undefined || this.lostInfo) {
      for (const t of outputs) t.destroy();
      if (this.lostInfo) throw this.lostError(op);
      if (gpuError) throw gpuFailure(op, gpuError);
      if (scoped.thrown instanceof PoolingError) throw scoped.thrown;
      throw new PoolingError(op, undefined, `GPU call failed: ${errorMessage(scoped.thrown)}`, { cause: scoped.thrown });
    }
  }

  /** What the plans of the descriptors may know about this device (src/adapter-profile.ts). */
  get profile(): DeviceProfile {
    this.#profile ??= adapterProfile(this.device, this.adapterInfo);
    return this.#profile;
  }
  #profile: DeviceProfile | undefined;

  /**
   * Runs any op descriptor: allocates its outputs and scratch, binds its input, output and scratch
   * slots, encodes its plan's steps; on a device loss with the fallback, the descriptor's CPU kernel.
   */
  run<P>(d: OpDescriptor<P>, p: P, inputs: Record<string, Tensor>): Promise<OpResult> {
    if (this.tuner?.mode === 'measure' && d.gpuAlternatives && !this.onCpu && !this.destroyed) {
      let choice: GpuChoice | undefined;
      try {
        choice = d.gpuAlternatives(p, this.profile);
      } catch {
        // The plan's own error surfaces from the rules' path.
      }
      if (choice) return this.runTuned(d, p, inputs, choice, this.tuner);
    }
    return this.runPlan(d, p, inputs);
  }

  /**
   * A call with alternatives under `tuning: 'measure'`: a key already decided runs its choice. A new
   * key runs the rules' pick for this call first (its inputs are taken now, as on every call), then
   * times the alternatives on the same inputs, unless the caller destroyed one meanwhile (the key is
   * then measured on a later call); the call resolves after the measuring.
   */
  private async runTuned<P>(d: OpDescriptor<P>, p: P, inputs: Record<string, Tensor>, choice: GpuChoice, tuner: Tuner): Promise<OpResult> {
    const key = tuningKey(d.name, choice.dtype, choice.layout, choice.shapeClass);
    const plans = new Map(choice.alternatives.map((a) => [a.name, a.plan]));
    const names = [...plans.keys()];
    const known = tuner.known(key, names);
    const result = await this.runPlan(d, p, inputs, plans.get(known ?? choice.rule));
    if (known !== undefined) return result;
    // GPU time where the device has timestamps (a leading clear inside the span), else the tuner's clock.
    const querySet = this.device.features.has('timestamp-query') ? this.device.createQuerySet({ label: 'tuning', type: 'timestamp', count: 2 }) : undefined;
    try {
      await tuner.choose(key, choice.rule, names, async (name) => {
        if (Object.values(inputs).some((t) => t.destroyed)) throw new TuningAborted();
        const r = await this.runPlan(d, p, inputs, plans.get(name), querySet && { querySet, beginIndex: 0 });
        await this.device.queue.onSubmittedWorkDone();
        for (const t of 'owner' in r ? [r] : [r.output, ...(r.indices ? [r.indices] : [])]) t.destroy();
        return querySet ? await this.gpuMilliseconds(querySet) : undefined;
      });
    } finally {
      querySet?.destroy();
    }
    return result;
  }

  /** The span between the two timestamps of `querySet`, ms; undefined where none was written or it cannot be read. */
  private async gpuMilliseconds(querySet: GPUQuerySet): Promise<number | undefined> {
    const ms = (await readDurations(this.device, querySet, 1).catch(() => undefined))?.[0];
    // A zero span says nothing about the alternative's speed: the tuner's clock times that run.
    return ms !== undefined && ms > 0 ? ms : undefined;
  }


  /** run() on the plan given, or on the descriptor's own (the rules') when none is; `timestamps` times this call alone. */
  private runPlan<P>(d: OpDescriptor<P>, p: P, inputs: Record<string, Tensor>, chosen?: OpPlan, timestamps?: TimestampSink): Promise<OpResult> {
    const op = d.name;
    const specs = d.outputs(p);
    // A dx too large comes from the inputShape the caller gave; any other output from the op's options.
    if (!this.onCpu) for (const s of specs) this.checkBufferSize(op, s.slot === 'dx' ? 'inputShape' : 'output', [...s.shape], specBytes(s));
    // Outputs the kernels need but the caller did not ask for (global max's positions), freed after.
    let outputs: Record<string, Tensor> = {};
    // The plan is data (no GPU call): made first, so that its pipelines can be made before the encode.
    let plan: OpPlan | undefined = chosen;
    let planError: unknown;
    if (!plan && !this.onCpu && !this.destroyed) {
      try {
        plan = d.gpu(p, this.profile);
      } catch (e) {
        planError = e;
      }
    }
    if (planError !== undefined) {
      return Promise.reject(planError instanceof PoolingError ? planError : new PoolingError(op, undefined, `GPU call failed: ${errorMessage(planError)}`, { cause: planError }));
    }
    return this.execute(
      op,
      inputs,
      plan ? kernelPlans(plan.steps) : [],
      (alloc, inputBuffers) => {
        outputs = {};
        for (const s of specs) outputs[s.slot] = this.output(alloc, s.shape, s.layout, s.dtype);
        plan ??= d.gpu(p, this.profile);
        const buffers: Record<string, GPUBuffer> = { ...inputBuffers };
        for (const [slot, t] of Object.entries(outputs)) buffers[slot] = t.buffer!;
        for (const s of plan!.scratch) {
          const b = this.pool.acquire(s.bytes, STORAGE, 'scratch');
          alloc.buffers.push(b);
          buffers[s.slot] = b;
        }
        return { result: descriptorResult(d, p, outputs), steps: [...plan!.steps], buffers, ...(timestamps ? { timestamps } : {}) };
      },
      (cpu, tensors) => cpu.run(d, p, Object.fromEntries(d.inputs.map((slot, i) => [slot, tensors[i]!]))),
    ).then((result) => {
      for (const s of specs) if (s.internal) outputs[s.slot]?.destroy();
      return result;
    });
  }

  stats() {
    if (this.destroyed) return { liveBuffers: 0, liveBytes: 0, pooledBuffers: 0, pooledBytes: 0, pipelines: 0 };
    return { ...this.pool.stats(), pipelines: pipelineCount(this.device) };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.signalDestroyed();
    this.pool.destroyAll();
    if (this.ownsDevice) {
      forgetDevice(this.device);
      forgetSubmissionCache(this.device);
      this.device.destroy();
    }
  }
}

/**
 * The WebGPU backend behind a context, for the benchmark and the tests that time or inspect its
 * device (an internal interface, not part of the public API); undefined on the CPU backend.
 */
export function webgpuBackendOf(pool: { readonly impl: unknown }): WebGpuBackend | undefined {
  return pool.impl instanceof WebGpuBackend ? pool.impl : undefined;
}

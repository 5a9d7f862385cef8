/**
 * An op as data plus functions (docs/architecture.md): what it outputs, its GPU plan, its CPU
 * kernel and its reference. The context (src/pooling.ts) resolves the options into parameters `P`;
 * each backend runs any descriptor through one generic path (WebGpuBackend.run, CpuBackend.run),
 * so a new op is a descriptor, not an edit of every layer.
 */
import type { MaxPoolResult } from '../backend.js';
import type { Step } from '../host/dispatch.js';
import type { KernelPlan } from '../kernels/kernel.js';
import type { HostData, Tensor, TensorDType } from '../tensor.js';
import type { AdapterProfile } from '../adapter-profile.js';
import { tensorBytes } from '../dtypes.js';
import type { TensorLayout } from '../types.js';

/** A tensor's contents on the host: float16 as the halves' 16-bit patterns. */
export type HostArray = HostData;
export type HostArrays = Readonly<Record<string, HostArray>>;

/** One tensor an op makes, by the slot its kernels bind it at. `internal` ones are freed after the run. */
export interface OutputSpec {
  readonly slot: string;
  readonly shape: readonly number[];
  readonly layout: TensorLayout;
  readonly dtype: TensorDType;
  readonly internal?: boolean;
}

/** A scratch buffer an op's steps share (partials of a two-pass reduction), pooled after the run. */
export interface ScratchSpec {
  readonly slot: string;
  readonly bytes: number;
}

/** The GPU work of one call: steps over named slots, and the scratch they need. */
export interface OpPlan {
  readonly steps: readonly Step[];
  readonly scratch: readonly ScratchSpec[];
}

/** What a plan may know about the device: the one adapter profile. */
export type DeviceProfile = AdapterProfile;

/** A GPU plan the tuner may run instead of the rules' pick: every alternative gives the op's result. */
export interface GpuAlternative {
  /** What it runs ('w4', 'scalar-generic', 'gather', ...): the name in tuning tables and decisions. */
  readonly name: string;
  readonly plan: OpPlan;
}

/** The plans a call may run (src/tuning/), with what the rules pick and the call's tuning class. */
export interface GpuChoice {
  /** The name of the alternative `gpu()` runs. */
  readonly rule: string;
  readonly alternatives: readonly GpuAlternative[];
  /** Layout, dtype and the shape class (src/tuning/key.ts): with the op's name, the tuning key. */
  readonly layout: TensorLayout;
  readonly dtype: TensorDType;
  readonly shapeClass: string;
}

/**
 * One unit's kernel in runs of its pixels (src/host/cpu-chunks.ts), the state carried between runs:
 * the same reduction, in the same order, as one whole call, bit for bit. A unit's tensors are
 * either pixel-indexed (x, dx: `pixels` × its channels) or per-channel (y, indices, dy).
 */
export interface PixelRuns {
  /** Pixels [from, to), `from` a multiple of `align`: `inputs` holds the run's pixel-indexed inputs; returns its pixel-indexed outputs. */
  run(from: number, to: number, inputs: HostArrays): Record<string, HostArray>;
  /** After the last run: the unit's per-channel outputs. */
  finish(): Record<string, HostArray>;
}

export interface PixelSlicing<P> {
  /** Runs start on multiples of this many pixels (the sums' lanes). */
  readonly align: number;
  /** Pixels of one unit of the call. */
  pixels(p: P): number;
  /** The runs of one unit: `p` resized to that unit, `unit` its per-channel inputs. */
  start(p: P, unit: HostArrays): PixelRuns;
}

export interface OpDescriptor<P> {
  /** The public name, e.g. 'maxPool3d': in errors, labels and the fallback's recipes. */
  readonly name: string;
  /** One tensor, or { output, indices? } (max pooling forward: its returned outputs in order). */
  readonly returns: 'tensor' | 'output-indices';
  /** Input slots, in the order the reference and the CPU kernel take them. */
  readonly inputs: readonly string[];
  /**
   * How the CPU backend may cut a large call (src/host/cpu-chunks.ts): 'rows' (a regular window's
   * rows, with halos: the windowed max and average ops, forward input `x` or backward input `dy`),
   * else 'planes' only (runs of (n, c) planes or channels-last images; every op whose parameters
   * carry `g` or `s` with N and C). Absent: 'planes'.
   */
  readonly slicing?: 'planes' | 'rows';
  /**
   * Global ops: the CPU kernel over runs of one unit's pixels, which the CPU backend uses where one
   * plane (or channels-last image) is too large for one slice. Absent: such a unit runs whole.
   */
  readonly cpuPixels?: PixelSlicing<P>;
  /** Input slots that hold int32 data (indices, window tables): the float16 form passes them through. */
  readonly intInputs?: readonly string[];
  outputs(p: P): readonly OutputSpec[];
  gpu(p: P, device: DeviceProfile): OpPlan;
  /**
   * Every plan that computes this call, for `tuning: 'measure'`: absent, undefined or a single one
   * when there is nothing to choose (an explicit `backward: 'gather'` is never tuned away).
   */
  gpuAlternatives?(p: P, device: DeviceProfile): GpuChoice | undefined;
  /**
   * Checks of the inputs' contents that only the host can make (indices in range), run by the CPU
   * backend before its kernel, on the whole call: a PoolingError, never a wrong answer. The GPU
   * kernels are robust to the same contents instead. Absent: nothing to check.
   */
  checkHost?(p: P, inputs: HostArrays): void;
  cpu(p: P, inputs: HostArrays): Record<string, HostArray>;
  reference(p: P, inputs: HostArrays): Record<string, HostArray>;
}

/** Output bytes of a spec, from its dtype. */
export function specBytes(s: OutputSpec): number {
  return tensorBytes(s.shape, s.dtype);
}

/** The one conversion of a backward kernel that needs dx zeroed first into steps. */
export function backwardSteps(b: { kernel: KernelPlan; zeroDx: boolean }, slot = 'dx'): Step[] {
  return b.zeroDx ? [{ kind: 'clear', slot }, { kind: 'kernel', plan: b.kernel }] : [{ kind: 'kernel', plan: b.kernel }];
}

/**
 * The outputs of a descriptor's run as the caller gets them: max pooling forward gives { output,
 * indices? } (its returned outputs in order), every other op one tensor. Internal outputs are not
 * part of it; the backend frees them.
 */
export function descriptorResult<P>(d: OpDescriptor<P>, p: P, outputs: Record<string, Tensor>): Tensor | MaxPoolResult {
  const returned = d.outputs(p).filter((s) => !s.internal).map((s) => outputs[s.slot]!);
  if (d.returns === 'tensor') return returned[0]!;
  return returned[1] ? { output: returned[0] as Tensor<'float32'>, indices: returned[1] as Tensor<'int32'> } : { output: returned[0] as Tensor<'float32'> };
}

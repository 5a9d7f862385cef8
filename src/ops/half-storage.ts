/**
 * float16 for any op: the same descriptor with its value tensors stored as packed halves. The GPU
 * plan widens each float16 input to an f32 scratch (exact), runs the op's own f32 steps on the
 * scratch, and narrows each value output to the nearest halves (ties to even): sums accumulate in
 * f32 and round to half once; max, indices and every other value a half can hold come through
 * exactly. The CPU kernel and the reference do the same with typed arrays. Index tensors (int32)
 * pass through untouched.
 */
import type { Step } from '../host/dispatch.js';
import { halfConvertPlan, renameSlots } from '../kernels/half-convert.js';
import { narrowToHalves, widenHalves } from '../half.js';
import type { DeviceProfile, GpuChoice, HostArray, HostArrays, OpDescriptor, OpPlan, OutputSpec, PixelSlicing } from './descriptor.js';

const wide = (slot: string) => `${slot}__f32`;
const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function renameStep(step: Step, names: Record<string, string>): Step {
  if (step.kind === 'clear') return { kind: 'clear', slot: names[step.slot] ?? step.slot };
  return { kind: 'kernel', plan: renameSlots(step.plan, names) };
}

function widenArrays(inputs: HostArrays, slots: readonly string[], isValueSlot: (slot: string) => boolean): Record<string, HostArray> {
  const out: Record<string, HostArray> = {};
  for (const slot of slots) out[slot] = isValueSlot(slot) ? widenHalves(inputs[slot] as unknown as Uint16Array) : inputs[slot]!;
  return out;
}

/** The outputs with every float16 slot narrowed; slots `outputs` lacks stay absent (a pixel run's part of them). */
function narrowArrays(outputs: Record<string, HostArray>, specs: readonly OutputSpec[]): Record<string, HostArray> {
  const out: Record<string, HostArray> = {};
  for (const s of specs) {
    const values = outputs[s.slot];
    if (values) out[s.slot] = s.dtype === 'float16' ? (narrowToHalves(values as Float32Array) as unknown as HostArray) : values;
  }
  return out;
}

/**
 * The float16 form of an f32 descriptor. `inputCounts(p)` gives the element count of each value
 * input (for the widen steps).
 */
export function halfStorage<P>(d: OpDescriptor<P>, inputCounts: (p: P) => Readonly<Record<string, number>>): OpDescriptor<P> {
  // Inputs holding int32 data (indices, window tables) pass through; every other input holds values.
  const intInputs = new Set(d.intInputs ?? []);
  const isValueSlot = (slot: string) => !intInputs.has(slot);
  const outputs = (p: P): OutputSpec[] => d.outputs(p).map((s) => (s.dtype === 'float32' ? { ...s, dtype: 'float16' as const } : s));
  return {
    name: d.name,
    returns: d.returns,
    inputs: d.inputs,
    ...(d.slicing ? { slicing: d.slicing } : {}),
    ...(d.intInputs ? { intInputs: d.intInputs } : {}),
    // The checks read int32 inputs only, which the float16 form passes through unchanged.
    ...(d.checkHost ? { checkHost: d.checkHost } : {}),
    outputs,
    gpu: (p, profile): OpPlan => halfPlan(p, d.gpu(p, profile)),
    ...(d.gpuAlternatives
      ? {
          gpuAlternatives: (p: P, profile: DeviceProfile): GpuChoice | undefined => {
            const inner = d.gpuAlternatives!(p, profile);
            return inner && { ...inner, dtype: 'float16', alternatives: inner.alternatives.map((a) => ({ name: a.name, plan: halfPlan(p, a.plan) })) };
          },
        }
      : {}),
    ...(d.cpuPixels ? { cpuPixels: halfPixels(d.cpuPixels) } : {}),
    cpu: (p, inputs) => narrowArrays(d.cpu(p, widenArrays(inputs, d.inputs, isValueSlot)), outputs(p)),
    reference: (p, inputs) => narrowArrays(d.reference(p, widenArrays(inputs, d.inputs, isValueSlot)), outputs(p)),
  };

  /** Pixel runs on halves: each run's inputs widened and its outputs narrowed, as the whole kernel's are. */
  function halfPixels(inner: PixelSlicing<P>): PixelSlicing<P> {
    return {
      align: inner.align,
      pixels: inner.pixels,
      start(p, unit) {
        const runs = inner.start(p, widenArrays(unit, Object.keys(unit), isValueSlot));
        return {
          run: (from, to, inputs) => narrowArrays(runs.run(from, to, widenArrays(inputs, Object.keys(inputs), isValueSlot)), outputs(p)),
          finish: () => narrowArrays(runs.finish(), outputs(p)),
        };
      },
    };
  }

  /** The f32 plan `inner` between the widen steps of the value inputs and the narrow steps of the value outputs. */
  function halfPlan(p: P, inner: OpPlan): OpPlan {
    const counts = inputCounts(p);
    const valueInputs = d.inputs.filter(isValueSlot);
    const valueOutputs = d.outputs(p).filter((s) => s.dtype === 'float32');
    const names: Record<string, string> = {};
    for (const slot of [...valueInputs, ...valueOutputs.map((s) => s.slot)]) names[slot] = wide(slot);
    const steps: Step[] = [
      ...valueInputs.map((slot): Step => ({ kind: 'kernel', plan: renameSlots(halfConvertPlan('widen', counts[slot]!), { src: slot, dst: wide(slot) }) })),
      ...inner.steps.map((step) => renameStep(step, names)),
      ...valueOutputs.map((s): Step => ({ kind: 'kernel', plan: renameSlots(halfConvertPlan('narrow', count(s.shape)), { src: wide(s.slot), dst: s.slot }) })),
    ];
    const scratch = [
      ...inner.scratch,
      ...valueInputs.map((slot) => ({ slot: wide(slot), bytes: counts[slot]! * 4 })),
      ...valueOutputs.map((s) => ({ slot: wide(s.slot), bytes: count(s.shape) * 4 })),
    ];
    return { steps, scratch };
  }
}

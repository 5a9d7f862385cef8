/**
 * The widen (halves → f32) and narrow (f32 → nearest halves) kernels of float16 tensors
 * (shaders/half-convert.wgsl): one invocation per u32 word of halves. Slots src → dst. Data only.
 */
import halfConvertWgsl from '../../shaders/half-convert.wgsl?raw';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { SPLIT_FIELDS, unsplit, type SplitSpec } from './split-spec.js';
import { uniformDeclaration, type UniformStruct } from './uniform-struct.js';

export const HALF_PARAMS = {
  name: 'HalfParams',
  fields: [['count', 'u32'], ...SPLIT_FIELDS],
} as const satisfies UniformStruct;

const code = composeShader(uniformDeclaration(HALF_PARAMS), halfConvertWgsl);
const WORKGROUP_SIZE = 64;
/** Words per split unit: small enough to split at any binding limit worth having. */
const UNIT_WORDS = 16;

export type HalfDirection = 'widen' | 'narrow';

/**
 * Splits over runs of words. The word side (the halves) is 'in' for widen and 'out' for narrow;
 * the f32 side has two elements per word.
 */
function halfSplit(direction: HalfDirection, count: number, words: number): SplitSpec {
  const wordGroup = direction === 'widen' ? 'in' : 'out';
  return {
    units: Math.ceil(words / UNIT_WORDS),
    unitSize: UNIT_WORDS,
    perWorkgroup: WORKGROUP_SIZE,
    unitName: `run of ${UNIT_WORDS} words`,
    groups: { src: 'in', dst: 'out' },
    range: (group, u0, u1) => {
      const w0 = u0 * UNIT_WORDS;
      const w1 = Math.min(u1 * UNIT_WORDS, words);
      return group === wordGroup ? [w0, w1] : [2 * w0, Math.min(2 * w1, count)];
    },
  };
}

/** Converts the `count` elements of slot `src` into slot `dst`. */
export function halfConvertPlan(direction: HalfDirection, count: number): KernelPlan {
  const words = Math.ceil(count / 2);
  return {
    label: `float16.${direction}`,
    code,
    entryPoint: direction,
    constants: { WG: WORKGROUP_SIZE },
    uniform: { struct: HALF_PARAMS, values: { count, ...unsplit(words) } },
    bindings: { src: 1, dst: 2 },
    workgroups: workgroupsFor(words, WORKGROUP_SIZE),
    split: halfSplit(direction, count, words),
  };
}

/** The plan with its binding slots renamed (a slot missing from `names` keeps its name). */
export function renameSlots(plan: KernelPlan, names: Readonly<Record<string, string>>): KernelPlan {
  const rename = (slot: string) => names[slot] ?? slot;
  const bindings = Object.fromEntries(Object.entries(plan.bindings).map(([slot, n]) => [rename(slot), n]));
  if (!plan.split) return { ...plan, bindings };
  const groups = Object.fromEntries(Object.entries(plan.split.groups).map(([slot, g]) => [rename(slot), g]));
  return { ...plan, bindings, split: { ...plan.split, groups } };
}

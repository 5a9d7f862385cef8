/**
 * Random configurations of every op for the fuzz harness (and the split tests): valid ones, with
 * what the CPU reference says they must give, and invalid ones, each broken in one known way, that
 * must be refused with a PoolingError. No vitest here: the harness also runs as a plain script.
 */
import { PoolingError, type Pooling, type Tensor } from '../../src/index.js';
import { resolveAvgPool, resolveMaxPool } from '../../src/params.js';
import * as ref from '../../src/reference/index.js';
import type { Layout } from '../../src/types.js';
import { pick, randomInt, seededRandom } from '../helpers/random.js';

export type Rand = () => number;
export { seededRandom };
export type Shape = [number, number, number, number];

export const OPS = [
  'maxPool2d',
  'avgPool2d',
  'globalMaxPool',
  'globalAvgPool',
  'maxPool2dBackward',
  'avgPool2dBackward',
  'globalMaxPoolBackward',
  'globalAvgPoolBackward',
] as const;
export type OpName = (typeof OPS)[number];


const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** A valid configuration: the op, the input shape and layout, the options as the caller passes them. */
export interface ValidCase {
  op: OpName;
  shape: Shape;
  layout: Layout;
  /** The window options (for backward ops, without inputShape and backward). */
  window: Record<string, unknown>;
  /** Options only the backward call takes (backward algorithm), or the global ops' flags. */
  extra: Record<string, unknown>;
  x: Float32Array;
  /** dy for backward ops, of the forward output's shape. */
  dy: Float32Array | null;
}

/** Quantised values with ties, and now and then NaN, ±Infinity or -0. */
function data(rand: Rand, n: number, specials: boolean): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (specials && r < 0.01) out[i] = pick(rand, [NaN, Infinity, -Infinity, -0]);
    else out[i] = Math.round((rand() * 2 - 1) * 32) / 32;
  }
  return out;
}

function windowOptions(rand: Rand, op: OpName, shape: Shape): Record<string, unknown> | null {
  const isMax = op.startsWith('max');
  const k: [number, number] = [randomInt(rand, 1, 5), randomInt(rand, 1, 5)];
  const o: Record<string, unknown> = { kernelSize: rand() < 0.4 ? k[0] : k };
  if (rand() < 0.7) o.stride = rand() < 0.4 ? randomInt(rand, 1, 4) : [randomInt(rand, 1, 4), randomInt(rand, 1, 4)];
  const d: [number, number] = isMax && rand() < 0.3 ? [randomInt(rand, 1, 3), randomInt(rand, 1, 3)] : [1, 1];
  if (d[0] > 1 || d[1] > 1) o.dilation = d;
  const eH = d[0] * (k[0] - 1) + 1;
  const eW = d[1] * (k[1] - 1) + 1;
  const kind = rand();
  if (kind < 0.15) o.padding = randomInt(rand, 0, Math.min(eH, eW) - 1);
  else if (kind < 0.35) o.padding = [randomInt(rand, 0, eH - 1), randomInt(rand, 0, eW - 1)];
  else if (kind < 0.55) o.padding = [randomInt(rand, 0, eH - 1), randomInt(rand, 0, eW - 1), randomInt(rand, 0, eH - 1), randomInt(rand, 0, eW - 1)];
  else if (kind < 0.65) o.padding = 'same';
  else if (kind < 0.7) o.padding = 'valid';
  if (rand() < 0.35) o.ceilMode = true;
  if (isMax && rand() < 0.2) o.padValue = 0;
  if (!isMax && rand() < 0.4) o.countIncludePad = rand() < 0.5;
  if (!isMax && rand() < 0.15) o.divisorOverride = randomInt(rand, 1, 30);
  try {
    if (isMax) resolveMaxPool(op, shape, o);
    else resolveAvgPool(op, shape, o);
    return o;
  } catch {
    return null;
  }
}

export function randomValidCase(rand: Rand): ValidCase {
  for (;;) {
    const op = pick(rand, OPS);
    const global = op.startsWith('global');
    // Global planes sometimes large enough for the one- and two-pass reductions (> 256, > 4096).
    const big = global && rand() < 0.25;
    const shape: Shape = big ? [randomInt(rand, 1, 2), randomInt(rand, 1, 2), randomInt(rand, 10, 80), randomInt(rand, 10, 80)] : [randomInt(rand, 1, 3), randomInt(rand, 1, 5), randomInt(rand, 1, 12), randomInt(rand, 1, 12)];
    const layout = pick(rand, ['NCHW', 'NHWC'] as const);
    const window = global ? {} : windowOptions(rand, op, shape);
    if (!window) continue;
    const extra: Record<string, unknown> = {};
    if (op === 'maxPool2d' && rand() < 0.6) extra.returnIndices = true;
    if (op.endsWith('2dBackward') && rand() < 0.8) extra.backward = pick(rand, ['auto', 'scatter', 'gather']);
    if ((op === 'globalMaxPool' || op === 'globalAvgPool') && rand() < 0.5) extra.keepDims = true;
    if (op === 'globalMaxPool' && rand() < 0.6) extra.returnIndices = true;
    const x = data(rand, count(shape), true);
    const dy = op.endsWith('Backward') ? data(rand, count(forwardShape({ op, shape, window } as ValidCase)), false) : null;
    return { op, shape, layout, window, extra, x, dy };
  }
}

/** Logical shape of the forward output: [N, C, outH, outW], or [N, C, 1, 1] for the global ops. */
export function forwardShape(c: Pick<ValidCase, 'op' | 'shape' | 'window'>): Shape {
  const [N, C] = c.shape;
  if (c.op.startsWith('global')) return [N, C, 1, 1];
  const p = c.op.startsWith('max') ? resolveMaxPool(c.op, c.shape, c.window) : resolveAvgPool(c.op, c.shape, c.window);
  return [N, C, p.outH, p.outW];
}

export function describeCase(c: ValidCase): string {
  return `${c.op} ${c.shape.join('x')} ${c.layout} ${JSON.stringify({ ...c.window, ...c.extra })}`;
}

/** What a case must give: named arrays, each compared exactly or within `terms` summed terms. */
export type Expected = { name: string; want: Float32Array | Int32Array; exact: boolean; terms: number }[];

export function expected(c: ValidCase): Expected {
  const s = { N: c.shape[0], C: c.shape[1], H: c.shape[2], W: c.shape[3] };
  const L = c.layout;
  switch (c.op) {
    case 'maxPool2d': {
      const r = ref.maxPool2dForward(c.x, L, resolveMaxPool(c.op, c.shape, c.window));
      const out: Expected = [{ name: 'output', want: r.output, exact: true, terms: 1 }];
      if (c.extra.returnIndices) out.push({ name: 'indices', want: r.indices, exact: true, terms: 1 });
      return out;
    }
    case 'avgPool2d': {
      const p = resolveAvgPool(c.op, c.shape, c.window);
      return [{ name: 'output', want: ref.avgPool2dForward(c.x, L, p), exact: false, terms: p.kH * p.kW }];
    }
    case 'globalMaxPool': {
      const r = ref.globalMaxPool(c.x, L, s);
      const out: Expected = [{ name: 'output', want: r.output, exact: true, terms: 1 }];
      if (c.extra.returnIndices) out.push({ name: 'indices', want: r.indices, exact: true, terms: 1 });
      return out;
    }
    case 'globalAvgPool':
      return [{ name: 'output', want: ref.globalAvgPool(c.x, L, s), exact: false, terms: s.H * s.W }];
    case 'maxPool2dBackward': {
      const p = resolveMaxPool('maxPool2d', c.shape, c.window);
      const fwd = ref.maxPool2dForward(c.x, L, p);
      return [{ name: 'dx', want: ref.maxPool2dBackward(c.dy!, fwd.indices, L, p), exact: false, terms: coverage(p) }];
    }
    case 'avgPool2dBackward': {
      const p = resolveAvgPool('avgPool2d', c.shape, c.window);
      return [{ name: 'dx', want: ref.avgPool2dBackward(c.dy!, L, p), exact: false, terms: coverage(p) }];
    }
    case 'globalMaxPoolBackward': {
      const fwd = ref.globalMaxPool(c.x, L, s);
      return [{ name: 'dx', want: ref.globalMaxPoolBackward(c.dy!, fwd.indices, L, s), exact: true, terms: 1 }];
    }
    case 'globalAvgPoolBackward':
      return [{ name: 'dx', want: ref.globalAvgPoolBackward(c.dy!, L, s), exact: false, terms: 1 }];
  }
}

function coverage(p: { kH: number; kW: number; sH: number; sW: number; dH: number; dW: number }): number {
  return Math.ceil((p.dH * (p.kH - 1) + 1) / p.sH) * Math.ceil((p.dW * (p.kW - 1) + 1) / p.sW);
}

/** Runs a valid case on a context; returns its arrays by name. Every tensor it made is destroyed. */
export async function runCase(pool: Pooling, c: ValidCase): Promise<Record<string, Float32Array | Int32Array>> {
  const made: Tensor[] = [];
  const keep = <T extends Tensor | undefined>(t: T): T => {
    if (t) made.push(t);
    return t;
  };
  try {
    const x = keep(pool.tensor(c.x, c.shape, { layout: c.layout }));
    const dy = c.dy ? keep(pool.tensor(c.dy, forwardShape(c), { layout: c.layout })) : undefined;
    const inputShape = c.shape;
    switch (c.op) {
      case 'maxPool2d': {
        const r = await pool.maxPool2d(x, { ...c.window, ...c.extra } as never);
        keep(r.output);
        keep(r.indices);
        return r.indices ? { output: await r.output.read(), indices: await r.indices.read() } : { output: await r.output.read() };
      }
      case 'avgPool2d':
        return { output: await keep(await pool.avgPool2d(x, c.window as never)).read() };
      case 'globalMaxPool': {
        const r = await pool.globalMaxPool(x, c.extra);
        keep(r.output);
        keep(r.indices);
        return r.indices ? { output: await r.output.read(), indices: await r.indices.read() } : { output: await r.output.read() };
      }
      case 'globalAvgPool':
        return { output: await keep(await pool.globalAvgPool(x, c.extra)).read() };
      case 'maxPool2dBackward': {
        const fwd = await pool.maxPool2d(x, { ...c.window, returnIndices: true } as never);
        keep(fwd.output);
        const dx = keep(await pool.maxPool2dBackward(dy!, keep(fwd.indices)!, { ...c.window, ...c.extra, inputShape } as never));
        return { dx: await dx.read() };
      }
      case 'avgPool2dBackward':
        return { dx: await keep(await pool.avgPool2dBackward(dy!, { ...c.window, ...c.extra, inputShape } as never)).read() };
      case 'globalMaxPoolBackward': {
        const fwd = await pool.globalMaxPool(x, { returnIndices: true });
        keep(fwd.output);
        return { dx: await keep(await pool.globalMaxPoolBackward(dy!, keep(fwd.indices)!, { inputShape })).read() };
      }
      case 'globalAvgPoolBackward':
        return { dx: await keep(await pool.globalAvgPoolBackward(dy!, { inputShape })).read() };
      default:
        throw new Error(`fuzz: unknown op ${String(c.op)}`);
    }
  } finally {
    for (const t of made) t.destroy();
  }
}

/** The first difference between results and what the reference expects, or null (SEMANTICS.md tolerances). */
export function compare(got: Record<string, Float32Array | Int32Array>, want: Expected): string | null {
  for (const w of want) {
    const g = got[w.name];
    if (!g) return `${w.name}: missing`;
    if (g.length !== w.want.length) return `${w.name}: length ${g.length}, want ${w.want.length}`;
    if (w.exact) {
      const gb = new Uint32Array(g.buffer, g.byteOffset, g.length);
      const wb = new Uint32Array(w.want.buffer, w.want.byteOffset, w.want.length);
      for (let i = 0; i < g.length; i++) if (gb[i] !== wb[i]) return `${w.name}[${i}] = ${g[i]}, want ${w.want[i]} (bit-exact)`;
    } else {
      const atol = 1e-5 * Math.max(w.terms, 1);
      for (let i = 0; i < g.length; i++) {
        const a = g[i]!;
        const b = w.want[i]!;
        const ok = Number.isNaN(b) ? Number.isNaN(a) : a === b || Math.abs(a - b) <= atol + 1e-5 * Math.abs(b);
        if (!ok) return `${w.name}[${i}] = ${a}, want ${b} (atol ${atol})`;
      }
    }
  }
  return null;
}

/** An invalid call: what breaks it, and the call itself (which must throw a PoolingError). */
export interface InvalidCase {
  what: string;
  call: (pool: Pooling, foreign: Pooling) => Promise<unknown>;
}

const BAD_NUMBERS: unknown[] = [NaN, Infinity, -Infinity, -1, 2.5, '2', null, true, {}, [], [2, 2, 2], [2, NaN], 2 ** 31, 2 ** 40, Number.MAX_VALUE];
const BAD_BOOLEANS: unknown[] = ['yes', 1, 0, null, {}, NaN];

/**
 * Breaks a valid case in one way that is invalid whatever the rest of the case is: a bad value for
 * one option, an unknown option, a bad tensor argument, a shape that does not match.
 */
export function randomInvalidCase(rand: Rand): InvalidCase {
  const c = randomValidCase(rand);
  const windowed = !c.op.startsWith('global');
  const isMax = c.op.startsWith('max');
  const backward = c.op.endsWith('Backward');
  const mutations: [string, () => { window?: Record<string, unknown>; extra?: Record<string, unknown>; tensor?: 'foreign' | 'destroyed' | 'dtype' | 'shape' | 'data' | 'layout' }][] = [];
  const setWindow = (key: string, value: unknown) => () => ({ window: { ...c.window, [key]: value } });
  if (windowed) {
    for (const key of ['kernelSize', 'stride', ...(isMax ? ['dilation'] : [])]) mutations.push([`${key} = ${show(0)}`, setWindow(key, 0)], ...BAD_NUMBERS.map((v): (typeof mutations)[number] => [`${key} = ${show(v)}`, setWindow(key, v)]));
    for (const v of [-1, 2.5, NaN, Infinity, '1', 'full', null, {}, [1, 1, 1], [0, -1], 2 ** 31]) mutations.push([`padding = ${show(v)}`, setWindow('padding', v)]);
    mutations.push(['padding not below the effective kernel', setWindow('padding', 64)]);
    mutations.push(['kernel larger than the padded input', () => ({ window: { ...c.window, kernelSize: 64, padding: 0 } })]);
    for (const v of BAD_BOOLEANS) mutations.push([`ceilMode = ${show(v)}`, setWindow('ceilMode', v)]);
    if (isMax) for (const v of [1, NaN, '0', null, -1]) mutations.push([`padValue = ${show(v)}`, setWindow('padValue', v)]);
    if (!isMax) for (const v of [0, 2.5, 2 ** 25, NaN, '3', null]) mutations.push([`divisorOverride = ${show(v)}`, setWindow('divisorOverride', v)]);
    if (!isMax) for (const v of BAD_BOOLEANS) mutations.push([`countIncludePad = ${show(v)}`, setWindow('countIncludePad', v)]);
    if (!isMax) mutations.push(['dilation 2 on average pooling', setWindow('dilation', 2)]);
    mutations.push(['unknown option', setWindow('kernel_size', 2)]);
  }
  if (backward) {
    if (windowed) for (const v of ['fast', 1, null]) mutations.push([`backward = ${show(v)}`, () => ({ extra: { ...c.extra, backward: v } })]);
    for (const v of [[1, 2, 3], [c.shape[0], c.shape[1], c.shape[2], 0], [c.shape[0], c.shape[1], NaN, c.shape[3]], 'shape', [2 ** 20, 2 ** 20, 4, 4]]) {
      mutations.push([`inputShape = ${show(v)}`, () => ({ extra: { ...c.extra, inputShape: v } })]);
    }
    mutations.push(['dy of the wrong shape', () => ({ tensor: 'shape' })]);
    if (isMax || c.op === 'globalMaxPoolBackward') mutations.push(['float indices', () => ({ tensor: 'dtype' })]);
  } else {
    if (c.op === 'maxPool2d' || c.op === 'globalMaxPool') for (const v of BAD_BOOLEANS) mutations.push([`returnIndices = ${show(v)}`, () => ({ extra: { ...c.extra, returnIndices: v } })]);
    if (!windowed) for (const v of BAD_BOOLEANS) mutations.push([`keepDims = ${show(v)}`, () => ({ extra: { ...c.extra, keepDims: v } })]);
    if (!windowed) mutations.push(['unknown option', () => ({ extra: { ...c.extra, axis: 1 } })]);
  }
  mutations.push(['a tensor of another context', () => ({ tensor: 'foreign' })]);
  mutations.push(['a destroyed tensor', () => ({ tensor: 'destroyed' })]);
  mutations.push(['data of the wrong length', () => ({ tensor: 'data' })]);
  mutations.push(['layout NCWH', () => ({ tensor: 'layout' })]);
  const [what, mutate] = pick(rand, mutations);
  const m = mutate();
  const window = m.window ?? c.window;
  const extra = m.extra ?? c.extra;
  return {
    what: `${c.op} ${c.shape.join('x')} ${c.layout}: ${what}`,
    call: async (pool, foreign) => {
      const made: Tensor[] = [];
      try {
        const source = m.tensor === 'foreign' ? foreign : pool;
        const data = m.tensor === 'data' ? c.x.subarray(1) : c.x;
        const layout = (m.tensor === 'layout' ? 'NCWH' : c.layout) as Layout;
        const x = source.tensor(data, c.shape, { layout });
        made.push(x);
        if (m.tensor === 'destroyed') x.destroy();
        const inputShape = 'inputShape' in extra ? extra.inputShape : c.shape;
        if (!backward) {
          if (c.op === 'maxPool2d') return await pool.maxPool2d(x, { ...window, ...extra } as never);
          if (c.op === 'avgPool2d') return await pool.avgPool2d(x, window as never);
          if (c.op === 'globalMaxPool') return await pool.globalMaxPool(x, extra as never);
          return await pool.globalAvgPool(x, extra as never);
        }
        const outShape = forwardShape(c);
        const dyShape: Shape = m.tensor === 'shape' ? [outShape[0], outShape[1] + 1, outShape[2], outShape[3]] : outShape;
        const dy = (m.tensor === 'foreign' || m.tensor === 'destroyed' ? x : null) ?? pool.tensor(new Float32Array(count(dyShape)), dyShape, { layout: c.layout });
        made.push(dy);
        const dyArg = m.tensor === 'foreign' || m.tensor === 'destroyed' ? x : dy;
        const opts = { ...window, ...extra, inputShape } as never;
        if (c.op === 'avgPool2dBackward') return await pool.avgPool2dBackward(dyArg, opts);
        if (c.op === 'globalAvgPoolBackward') return await pool.globalAvgPoolBackward(dyArg, { inputShape } as never);
        // The indices come from a real forward on the same context, unless the case breaks them.
        const indices = m.tensor === 'dtype' ? dy : await forwardIndices(pool, c, made);
        made.push(indices);
        if (c.op === 'maxPool2dBackward') return await pool.maxPool2dBackward(dyArg, indices, opts);
        return await pool.globalMaxPoolBackward(dyArg, indices, { inputShape } as never);
      } finally {
        for (const t of made) t.destroy();
      }
    },
  };
}

async function forwardIndices(pool: Pooling, c: ValidCase, made: Tensor[]): Promise<Tensor> {
  const x = pool.tensor(c.x, c.shape, { layout: c.layout });
  made.push(x);
  const r = c.op === 'maxPool2dBackward' ? await pool.maxPool2d(x, { ...c.window, returnIndices: true } as never) : await pool.globalMaxPool(x, { returnIndices: true });
  made.push(r.output);
  return r.indices!;
}

function show(v: unknown): string {
  if (typeof v === 'number' || v === null || typeof v === 'boolean' || v === undefined) return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** True when `e` is the error an invalid call must throw. */
export function isPoolingError(e: unknown): e is PoolingError {
  return e instanceof PoolingError;
}

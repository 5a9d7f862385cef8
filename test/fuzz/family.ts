/**
 * Fuzzing the rest of the pooling family (adaptive, LP, max-unpooling, fractional max pooling, and
 * the index formats of the max ops) with the reference context as the oracle: a random call, valid
 * or not, is made on the reference context (CpuBackend('reference'), every descriptor's f64
 * reference) and on every target. Where the reference refuses it with a PoolingError, every target
 * must refuse it too, with a PoolingError naming the same op; where it answers, every target must
 * give the same results (bit for bit for max values, indices and unpooling; within the accuracy
 * rule for sums). Each call is drawn from its own seed, so a failure replays. No vitest here.
 */
import { CpuBackend } from '../../src/cpu-backend.js';
import { Pooling, PoolingError, type Tensor } from '../../src/index.js';
import { pick, randomInt, seededRandom } from '../helpers/random.js';

export const FAMILY_OPS = ['adaptiveAvgPool', 'adaptiveMaxPool', 'lpPool', 'maxUnpool', 'fractionalMaxPool', 'maxPoolIndexFormat'] as const;
export type FamilyOp = (typeof FAMILY_OPS)[number];

type Rand = () => number;
const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const LAYOUTS: Record<number, readonly [string, string]> = { 3: ['NCL', 'NLC'], 4: ['NCHW', 'NHWC'], 5: ['NCDHW', 'NDHWC'] };

/** One drawn call: what to upload and the calls to make (forward, then backward from its results). */
export interface FamilyCall {
  op: FamilyOp;
  rank: 1 | 2 | 3;
  shape: number[];
  layout: string;
  dtype: 'float32' | 'float16';
  x: Float32Array;
  /** A description for the failure line. */
  label: string;
  /** Exact comparison (max, indices, unpooling) or a sum within tolerance, and how many terms a result sums. */
  exact: boolean;
  terms: number;
  run(pool: Pooling, x: Tensor, rand: Rand): Promise<Tensor[]>;
}

function data(rand: Rand, n: number): Float32Array {
  const kind = rand();
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (kind < 0.15) out[i] = pick(rand, [NaN, Infinity, -Infinity, 0, -0, 1, -1, 2]);
    else if (kind < 0.35) out[i] = randomInt(rand, -3, 3);
    else out[i] = Math.round((rand() * 8 - 4) * 64) / 64;
  }
  return out;
}

const perAxis = (rand: Rand, rank: number, lo: number, hi: number) => Array.from({ length: rank }, () => randomInt(rand, lo, hi));
const maybeBad = (rand: Rand, good: unknown, bad: readonly unknown[]) => (rand() < 0.12 ? pick(rand, bad) : good);

const method = (pool: Pooling, name: string) => (pool as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!.bind(pool);

async function forwardThenBackward(pool: Pooling, fwd: string, bwd: string | undefined, x: Tensor, options: Record<string, unknown>, backwardOptions: (r: { output: Tensor; indices?: Tensor }) => [Tensor[], Record<string, unknown>] | undefined): Promise<Tensor[]> {
  const raw = (await method(pool, fwd)(x, options)) as Tensor | { output: Tensor; indices?: Tensor };
  const r = 'output' in raw ? raw : { output: raw };
  const out: Tensor[] = [r.output, ...(r.indices ? [r.indices] : [])];
  if (!bwd) return out;
  const b = backwardOptions(r);
  if (!b) return out;
  const [args, opts] = b;
  const dyData = Float32Array.from({ length: count(r.output.shape) }, (_, i) => ((i * 7919) % 13) / 4 - 1.5);
  const dy = pool.tensor(dyData, r.output.shape, { layout: r.output.layout, ...(r.output.dtype === 'float16' ? { dtype: 'float16' as const } : {}) } as never);
  try {
    out.push((await method(pool, bwd)(dy, ...args, opts)) as Tensor);
  } finally {
    dy.destroy();
  }
  return out;
}

export function randomFamilyCall(seed: number): FamilyCall {
  const rand = seededRandom(seed);
  const op = pick(rand, FAMILY_OPS);
  const rank = (op === 'fractionalMaxPool' ? randomInt(rand, 2, 3) : randomInt(rand, 1, 3)) as 1 | 2 | 3;
  const N = randomInt(rand, 1, 2);
  const C = pick(rand, [1, 3, 4, 8]);
  const spatial = perAxis(rand, rank, 1, rank === 3 ? 6 : 11);
  const shape = [N, C, ...spatial];
  const layout = LAYOUTS[rank + 2]![rand() < 0.5 ? 0 : 1];
  const dtype = rand() < 0.25 ? 'float16' : 'float32';
  const x = data(rand, count(shape));
  const d = `${rank}d`;
  const base = { rank, shape, layout, dtype, x } as const;
  const backward = rand() < 0.5;
  switch (op) {
    case 'adaptiveAvgPool':
    case 'adaptiveMaxPool': {
      const max = op === 'adaptiveMaxPool';
      const outputSize = maybeBad(rand, spatial.map((s) => (rand() < 0.15 ? null : randomInt(rand, 1, 2 * s + 1))), [0, -1, 1.5, NaN, [1], 'x']);
      const returnIndices = max && (backward || rand() < 0.5);
      const options = { outputSize, ...(max ? { returnIndices } : {}) };
      return {
        ...base,
        op,
        label: `${op}${d} ${JSON.stringify(shape)} ${layout} ${dtype} ${JSON.stringify(options)}${backward ? ' +backward' : ''}`,
        exact: max,
        terms: count(spatial),
        run: (pool, t) =>
          forwardThenBackward(pool, `${op}${d}`, backward ? `${op}${d}Backward` : undefined, t, options, (r) => (max ? (r.indices ? [[r.indices], { inputShape: shape }] : undefined) : [[], { inputShape: shape }])),
      };
    }
    case 'lpPool': {
      const kernelSize = perAxis(rand, rank, 1, 4);
      const stride = perAxis(rand, rank, 1, 3);
      const padding = rand() < 0.5 ? 0 : kernelSize.map((k) => randomInt(rand, 0, Math.floor(k / 2)));
      const dilation = rand() < 0.8 ? 1 : perAxis(rand, rank, 1, 2);
      const normType = maybeBad(rand, pick(rand, [1, 2, 3, 0.5, 2.5]), [0, -1, NaN, Infinity, '2']);
      const options = { normType, kernelSize, stride, padding, dilation, ceilMode: rand() < 0.3 };
      return {
        ...base,
        op,
        label: `lpPool${d} ${JSON.stringify(shape)} ${layout} ${dtype} ${JSON.stringify(options)}${backward ? ' +backward' : ''}`,
        exact: false,
        terms: count(kernelSize),
        run: (pool, t) => forwardThenBackward(pool, `lpPool${d}`, backward ? `lpPool${d}Backward` : undefined, t, options, (r) => [[t, r.output], { ...options, inputShape: shape }]),
      };
    }
    case 'maxUnpool': {
      const kernelSize = randomInt(rand, 1, 3);
      const stride = randomInt(rand, 1, 3);
      const padding = randomInt(rand, 0, Math.floor(kernelSize / 2));
      const window = { kernelSize, stride, padding };
      // PyTorch users pass the pooled input's size (output_size=x.size()); else the default, or a grown one.
      const sizeFrom = rand() < 0.5 ? 'input' : 'default';
      const grow = sizeFrom === 'default' && rand() < 0.25 ? randomInt(rand, 0, stride - 1) : 0;
      return {
        ...base,
        op,
        label: `maxUnpool${d} from maxPool ${JSON.stringify(shape)} ${layout} ${dtype} ${JSON.stringify(window)} size ${sizeFrom} grow ${grow}${backward ? ' +backward' : ''}`,
        exact: true,
        terms: 1,
        run: async (pool, t) => {
          const p = (await method(pool, `maxPool${d}`)(t, { ...window, returnIndices: true })) as { output: Tensor; indices: Tensor };
          try {
            const inner = p.output.shape.slice(2);
            const defaultSize = inner.map((s) => (s - 1) * stride - 2 * padding + kernelSize);
            const options = sizeFrom === 'input' ? { ...window, outputSize: spatial } : grow > 0 ? { ...window, outputSize: defaultSize.map((s) => s + grow) } : window;
            const y = (await method(pool, `maxUnpool${d}`)(p.output, p.indices, options)) as Tensor;
            const out = [y];
            if (backward) {
              const dy = pool.tensor(Float32Array.from({ length: count(y.shape) }, (_, i) => (i % 11) - 5), y.shape, { layout: y.layout, ...(y.dtype === 'float16' ? { dtype: 'float16' as const } : {}) } as never);
              try {
                out.push((await method(pool, `maxUnpool${d}Backward`)(dy, p.indices, options)) as Tensor);
              } finally {
                dy.destroy();
              }
            }
            return out;
          } finally {
            p.output.destroy();
            p.indices.destroy();
          }
        },
      };
    }
    case 'fractionalMaxPool': {
      const kernelSize = perAxis(rand, rank, 1, 3);
      const outputSize = maybeBad(
        rand,
        spatial.map((s, a) => randomInt(rand, 1, Math.max(1, s - kernelSize[a]! + 1))),
        [0, spatial.map((s) => s + 1), [1]],
      );
      const returnIndices = backward || rand() < 0.5;
      const options = { kernelSize, outputSize, seed: randomInt(rand, 0, 1 << 30), returnIndices };
      return {
        ...base,
        op,
        label: `fractionalMaxPool${d} ${JSON.stringify(shape)} ${layout} ${dtype} ${JSON.stringify(options)}${backward ? ' +backward' : ''}`,
        exact: true,
        terms: 1,
        run: (pool, t) => forwardThenBackward(pool, `fractionalMaxPool${d}`, backward ? `fractionalMaxPool${d}Backward` : undefined, t, options, (r) => (r.indices ? [[r.indices], { inputShape: shape }] : undefined)),
      };
    }
    case 'maxPoolIndexFormat': {
      const kernelSize = perAxis(rand, rank, 1, 3);
      const indexFormat = maybeBad(rand, pick(rand, ['plane', 'tensor']), ['onnx', 1]);
      const indexOrder = pick(rand, ['row-major', 'column-major']);
      const options = { kernelSize, stride: perAxis(rand, rank, 1, 3), returnIndices: true, indexFormat, indexOrder };
      return {
        ...base,
        op,
        label: `maxPool${d} ${JSON.stringify(shape)} ${layout} ${dtype} ${JSON.stringify(options)}${backward ? ' +backward' : ''}`,
        exact: true,
        terms: 1,
        run: (pool, t) => forwardThenBackward(pool, `maxPool${d}`, backward ? `maxPool${d}Backward` : undefined, t, options, (r) => [[r.indices!], { ...options, inputShape: shape }]),
      };
    }
  }
}

function upload(pool: Pooling, c: FamilyCall): Tensor {
  return pool.tensor(c.x, c.shape, { layout: c.layout, ...(c.dtype === 'float16' ? { dtype: 'float16' as const } : {}) } as never);
}

async function values(t: Tensor): Promise<Float32Array | Int32Array> {
  return t.dtype === 'int32' ? ((await t.read()) as Int32Array) : await t.readFloat32();
}

/** Why `got` is not `want` under the case's rule, or undefined when it is. */
function disagreement(got: Float32Array | Int32Array, want: Float32Array | Int32Array, exact: boolean, terms: number, f16: boolean): string | undefined {
  if (got.length !== want.length) return `length ${got.length}, want ${want.length}`;
  const atol = f16 ? Math.max(1e-3, 1e-5 * terms) : 1e-5 * Math.max(terms, 1);
  const rtol = f16 ? 2e-3 : 2e-5;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) continue;
    if (!exact && !(want instanceof Int32Array) && Number.isFinite(w) && Math.abs(g - w) <= atol + rtol * Math.abs(w)) continue;
    if (!exact && g === w) continue;
    return `element ${i}: ${g}, want ${w}`;
  }
  return undefined;
}

export interface FamilyFuzzReport {
  calls: number;
  answered: number;
  refused: number;
  /** Unpooling calls with out-of-range indices: refused by the reference and the CPU, skipped on WebGPU (documented). */
  skippedOnGpu: number;
  mismatches: number;
  crashes: number;
  perOp: Record<string, number>;
  failures: string[];
}

export async function fuzzFamily(o: { targets: { name: string; pool: Pooling }[]; seed: number; calls: number; seconds: number }): Promise<FamilyFuzzReport> {
  const reference = new Pooling(new CpuBackend('reference'));
  const r: FamilyFuzzReport = { calls: 0, answered: 0, refused: 0, skippedOnGpu: 0, mismatches: 0, crashes: 0, perOp: {}, failures: [] };
  const fail = (line: string) => {
    if (r.failures.length < 20) r.failures.push(line);
  };
  const start = performance.now();
  try {
    for (let i = 0; i < o.calls && performance.now() - start < o.seconds * 1000; i++) {
      const seed = (Math.imul(o.seed ^ 0x2545f491, 0x9e3779b1) + Math.imul(i + 1, 0x85ebca77)) >>> 0;
      const c = randomFamilyCall(seed);
      r.calls++;
      r.perOp[c.op] = (r.perOp[c.op] ?? 0) + 1;
      const rx = upload(reference, c);
      let want: (Float32Array | Int32Array)[] | undefined;
      let refusedBy: PoolingError | undefined;
      try {
        const outs = await c.run(reference, rx, seededRandom(seed));
        want = await Promise.all(outs.map(values));
        outs.forEach((t) => t.destroy());
      } catch (e) {
        if (!(e instanceof PoolingError)) {
          r.crashes++;
          fail(`seed ${seed} reference crashed: ${c.label}: ${String(e)}`);
          continue;
        }
        refusedBy = e;
      } finally {
        rx.destroy();
      }
      if (want) r.answered++;
      else r.refused++;
      for (const t of o.targets) {
        const x = upload(t.pool, c);
        try {
          const outs = await c.run(t.pool, x, seededRandom(seed));
          const got = await Promise.all(outs.map(values));
          outs.forEach((v) => v.destroy());
          // Out-of-range unpooling indices: a PoolingError on the CPU backend, skipped on WebGPU (docs/unpool-fractional.md).
          if (!want && refusedBy?.option === 'indices' && t.name.startsWith('webgpu') && c.op === 'maxUnpool') {
            r.skippedOnGpu++;
            continue;
          }
          if (!want) {
            r.mismatches++;
            fail(`seed ${seed} ${t.name}: accepted what the reference refused (${refusedBy!.message}): ${c.label}`);
            continue;
          }
          for (let k = 0; k < want.length; k++) {
            const why = disagreement(got[k]!, want[k]!, c.exact || want[k] instanceof Int32Array, c.terms, c.dtype === 'float16');
            if (why) {
              r.mismatches++;
              fail(`seed ${seed} ${t.name}: output ${k} ${why}: ${c.label}`);
              break;
            }
          }
        } catch (e) {
          if (e instanceof PoolingError && refusedBy) continue;
          if (e instanceof PoolingError && /too large to split|binding/.test(e.message)) continue;
          r.crashes++;
          fail(`seed ${seed} ${t.name}: ${e instanceof PoolingError ? 'refused a call the reference answered' : 'crashed'}: ${String(e)}: ${c.label}`);
        } finally {
          x.destroy();
        }
      }
    }
  } finally {
    reference.destroy();
  }
  return r;
}

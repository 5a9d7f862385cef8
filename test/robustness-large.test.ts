/**
 * Tensors larger than one storage binding. The split path (src/host/split.ts) runs for real in two
 * ways: a context with a small maxStorageBufferBindingSize over every op, form and layout, checked
 * against the reference; and a 144 MiB tensor on a device with WebGPU's default limits (128 MiB per
 * binding, 256 MiB per buffer), checked against the CPU backend, as is the same tensor unsplit on
 * the adapter's own limits (SwiftShader binds 1 GiB). Past maxBufferSize: a PoolingError before
 * anything is allocated. A unit that cannot be split below the limit fails clearly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAdapter } from '../src/host/device.js';
import { PoolingError, createPooling, type Pooling, type Tensor } from '../src/index.js';
import { compare, expected, runCase, type OpName, type Shape, type ValidCase } from './fuzz/cases.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { testAdapterKind, useGpuPool } from './helpers/gpu.js';
import { randomData, seededRandom } from './helpers/random.js';

const pool = useGpuPool();
let device: GPUDevice;
/** Bind groups created with a sub-range (offset and size): each is one dispatch of a split op. */
let splitBindGroups = 0;

beforeAll(() => {
  device = (pool().impl as unknown as { device: GPUDevice }).device;
  const create = device.createBindGroup.bind(device);
  device.createBindGroup = (d: GPUBindGroupDescriptor) => {
    if ([...d.entries].some((e) => (e.resource as GPUBufferBinding).size !== undefined)) splitBindGroups++;
    return create(d);
  };
});

const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function makeCase(op: OpName, shape: Shape, layout: 'NCHW' | 'NHWC', window: Record<string, unknown>, extra: Record<string, unknown>, seed: number): ValidCase {
  const rand = seededRandom(seed);
  const c: ValidCase = { op, shape, layout, window, extra, x: randomData(rand, count(shape)), dy: null };
  if (op.endsWith('Backward')) {
    const probe = expected({ ...c, op: op.startsWith('global') ? (op.startsWith('globalMax') ? 'globalMaxPool' : 'globalAvgPool') : op.startsWith('max') ? 'maxPool2d' : 'avgPool2d', extra: {} });
    c.dy = randomData(rand, probe[0]!.want.length);
  }
  return c;
}

const WINDOWS: Record<string, unknown>[] = [
  { kernelSize: 3, stride: 2, padding: 1 },
  { kernelSize: 2, stride: 1, ceilMode: true },
  { kernelSize: [1, 4], stride: [1, 3], padding: [0, 1, 0, 2] },
  { kernelSize: 5, stride: 3, padding: 'same' },
  { kernelSize: [4, 2], stride: [3, 3], padding: [2, 1], ceilMode: true },
];

describe('split dispatch at a 2 KiB binding limit matches the reference', () => {
  let split: Pooling;
  beforeAll(async () => {
    split = await createPooling({ device, maxStorageBufferBindingSize: 2048 });
  });

  const shapes: Shape[] = [
    [2, 3, 13, 11],
    [1, 2, 24, 20],
  ];
  const cases: [string, () => ValidCase][] = [];
  let seed = 100;
  for (const shape of shapes) {
    for (const layout of ['NCHW', 'NHWC'] as const) {
      WINDOWS.forEach((w, i) => {
        const s = seed++;
        const tag = `${shape.join('x')} ${layout} window ${i}`;
        cases.push([`maxPool2d ${tag}`, () => makeCase('maxPool2d', shape, layout, { ...w, ...(i === 0 ? { dilation: 2 } : {}) }, { returnIndices: true }, s)]);
        cases.push([`avgPool2d ${tag}`, () => makeCase('avgPool2d', shape, layout, { ...w, countIncludePad: i % 2 === 0 }, {}, s)]);
        for (const backward of ['scatter', 'gather', 'auto']) {
          cases.push([`maxPool2dBackward ${backward} ${tag}`, () => makeCase('maxPool2dBackward', shape, layout, w, { backward }, s)]);
          cases.push([`avgPool2dBackward ${backward} ${tag}`, () => makeCase('avgPool2dBackward', shape, layout, w, { backward }, s)]);
        }
      });
      // An NHWC chunk holds every channel of up to 1,024 pixels: 1x2x24x20 is one of 3,840 bytes, so
      // its forward (also run for the max backward's indices) cannot split at 2 KiB.
      const globalOps = layout === 'NHWC' && shape[0] === 1 ? (['globalAvgPoolBackward'] as const) : (['globalMaxPool', 'globalAvgPool', 'globalMaxPoolBackward', 'globalAvgPoolBackward'] as const);
      for (const op of globalOps) {
        const s = seed++;
        cases.push([`${op} ${shape.join('x')} ${layout}`, () => makeCase(op, shape, layout, {}, op === 'globalMaxPool' ? { returnIndices: true } : {}, s)]);
      }
    }
  }

  it(`${cases.length} cases over every op, form and layout, each split over several dispatches`, async () => {
    for (const [name, make] of cases) {
      const c = make();
      const before = splitBindGroups;
      const diff = compare(await runCase(split, c), expected(c));
      expect(diff, name).toBeNull();
      expect(splitBindGroups - before, `${name}: split dispatches`).toBeGreaterThan(1);
    }
  });

  it('a plane or image larger than the limit splits between its chunks (two-pass global reductions)', async () => {
    // A chunk is 4,096 positions of an NCHW plane (16 KiB), 1,024 pixels of an NHWC image (4 KiB x C).
    const limits = { NCHW: 20 * 1024, NHWC: 40 * 1024 };
    for (const layout of ['NCHW', 'NHWC'] as const) {
      const wide = await createPooling({ device, maxStorageBufferBindingSize: limits[layout] });
      for (const op of ['globalMaxPool', 'globalAvgPool', 'globalMaxPoolBackward', 'globalAvgPoolBackward'] as const) {
        const c = makeCase(op, [1, 2, 130, 130], layout, {}, op === 'globalMaxPool' ? { returnIndices: true } : {}, 9);
        const before = splitBindGroups;
        expect(compare(await runCase(wide, c), expected(c)), `${op} ${layout}`).toBeNull();
        expect(splitBindGroups - before, `${op} ${layout}: split dispatches`).toBeGreaterThan(2);
      }
    }
  });

  it('a unit that cannot fit the limit is a PoolingError saying so, and nothing leaks', async () => {
    // An NHWC chunk-pass unit is every channel of 1,024 pixels: 8,192 bytes for 1x2x70x70.
    const tight = await createPooling({ device, maxStorageBufferBindingSize: 4096 });
    const x = tight.tensor(new Float32Array(2 * 70 * 70), [1, 2, 70, 70], { layout: 'NHWC' });
    await x.read();
    const before = tight.stats();
    const e = await tight.globalAvgPool(x).then(
      () => null,
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(PoolingError);
    expect((e as Error).message).toMatch(/globalAvgPool: the tensors are too large to split: one chunk of 1024 pixels \(x 2 channels\) of globalAvgPool.chunk_scan needs 8192 bytes in one binding, more than maxStorageBufferBindingSize \(4096 bytes\)/);
    expect(tight.stats().liveBuffers).toBe(before.liveBuffers);
    x.destroy();
  });
});

describe('a 144 MiB tensor, above the default 128 MiB binding limit', () => {
  const shape: Shape = [1, 36, 1024, 1024];
  let data: Float32Array;
  let cpu: Pooling;
  let defaults: Pooling;
  let defaultDevice: GPUDevice;
  const want: Record<string, Float32Array | Int32Array> = {};

  beforeAll(async () => {
    data = randomData(seededRandom(3), count(shape));
    cpu = await createPooling({ backend: 'cpu' });
    // The oracle at this size is the CPU backend (test/cpu-fast.test.ts holds it to the reference).
    const x = cpu.tensor(data, shape);
    const max = await cpu.maxPool2d(x, { kernelSize: 2, returnIndices: true });
    want.max = await max.output.read();
    want.indices = await max.indices!.read();
    want.globalAvg = await (await cpu.globalAvgPool(cpu.tensor(data, shape, { layout: 'NHWC' }))).read();
    const found = await requireAdapter(testAdapterKind());
    // No requiredLimits: WebGPU's defaults, 128 MiB per storage binding and 256 MiB per buffer.
    defaultDevice = await found.adapter.requestDevice();
    defaults = await createPooling({ device: defaultDevice });
  });
  afterAll(() => {
    defaults?.destroy();
    defaultDevice?.destroy();
    cpu?.destroy();
  });

  async function check(p: Pooling, what: string, withGlobal: boolean): Promise<void> {
    const x = p.tensor(data, shape);
    const { output, indices } = await p.maxPool2d(x, { kernelSize: 2, returnIndices: true });
    expectBitExact(await output.read(), want.max!, `${what}: max values`);
    expectBitExact(await indices!.read(), want.indices!, `${what}: max indices`);
    const made: Tensor[] = [x, output, indices!];
    if (withGlobal) {
      const xh = p.tensor(data, shape, { layout: 'NHWC' });
      const g = await p.globalAvgPool(xh);
      expectClose((await g.read()) as Float32Array, want.globalAvg as Float32Array, 1024 * 1024, `${what}: global average`);
      made.push(xh, g);
    }
    for (const t of made) t.destroy();
  }

  it("on the adapter's own limits (SwiftShader: one binding holds it; llvmpipe: split): max pooling", async () => {
    const before = splitBindGroups;
    await check(pool(), 'adapter limits', false);
    const splits = device.limits.maxStorageBufferBindingSize < data.byteLength;
    expect(splitBindGroups > before, `split on a ${device.limits.maxStorageBufferBindingSize}-byte binding limit`).toBe(splits);
  });

  it('on a device with the default limits: max pooling and an NHWC global average, split over sub-range bindings', async () => {
    expect(defaultDevice.limits.maxStorageBufferBindingSize).toBe(128 * 1024 * 1024);
    const before = splitBindGroups;
    const create = defaultDevice.createBindGroup.bind(defaultDevice);
    let split = 0;
    defaultDevice.createBindGroup = (d: GPUBindGroupDescriptor) => {
      if ([...d.entries].some((e) => (e.resource as GPUBufferBinding).size !== undefined)) split++;
      return create(d);
    };
    await check(defaults, 'default limits', true);
    expect(split).toBeGreaterThanOrEqual(4);
    expect(splitBindGroups).toBe(before);
  });

  it('past maxBufferSize (256 MiB here): a PoolingError before anything is allocated', async () => {
    const big = new Float32Array(64 * 1024 * 1024 + 1024);
    let created = 0;
    const create = defaultDevice.createBuffer.bind(defaultDevice);
    defaultDevice.createBuffer = (d: GPUBufferDescriptor) => {
      created++;
      return create(d);
    };
    let error: unknown;
    try {
      defaults.tensor(big, [1, 1, 1024, 64 * 1024 + 1]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PoolingError);
    expect(error).toMatchObject({ op: 'tensor', option: 'shape' });
    expect((error as Error).message).toMatch(/268439552 bytes exceeds this device's maxBufferSize \(268435456 bytes\)/);
    expect(created).toBe(0);
    defaultDevice.createBuffer = create;
  });
});

describe('windows far larger than the input', () => {
  // 65,536 x 65,536 taps over an 8x8 input padded by 32,764 on each side: one window of 2^32
  // positions, a divisor past i32, and a tap loop no GPU could finish if it were not clipped.
  const big = { kernelSize: 65536, padding: 32764 } as const;
  const x = Float32Array.from({ length: 64 }, (_, i) => (i % 7) - 3 + i / 64);
  const sum = x.reduce((a, b) => a + b, 0);

  it('average pooling divides by the full 2^32 (f32, no i32 wrap), forward and every backward form', async () => {
    for (const p of [pool(), await createPooling({ backend: 'cpu' })]) {
      const t = p.tensor(x, [1, 1, 8, 8]);
      const y = await p.avgPool2d(t, big);
      expect(y.shape).toEqual([1, 1, 1, 1]);
      expect((await y.read())[0]).toBeCloseTo(sum / 2 ** 32, 15);
      const excluding = await p.avgPool2d(t, { ...big, countIncludePad: false });
      expect((await excluding.read())[0]).toBeCloseTo(sum / 64, 5);
      const dy = p.tensor([2 ** 32], [1, 1, 1, 1]);
      for (const backward of ['scatter', 'gather', 'auto'] as const) {
        const dx = await p.avgPool2dBackward(dy, { ...big, inputShape: [1, 1, 8, 8], backward });
        expect(Array.from(await dx.read()), `${p.backend} ${backward}`).toEqual(new Array(64).fill(1));
      }
    }
  });

  it('a 3-D max with zero padding costs its real taps, not its 2^33 declared ones', async () => {
    // 2048^3 taps over a 2x2x2 input padded by 1023 with padValue 0: channel 0 all negative (a
    // padded zero wins, index -1), channel 1 with a real 5 at position 6. Tap by tap this window
    // ran for minutes; by runs of padding it is 8 taps.
    const channels = [Float32Array.from({ length: 8 }, (_, i) => -1 - i), Float32Array.from([-1, 2, -3, 4, -0, 0, 5, 1])];
    for (const p of [pool(), await createPooling({ backend: 'cpu' })]) {
      for (const layout of ['NCDHW', 'NDHWC'] as const) {
        const data = layout === 'NCDHW' ? Float32Array.from([...channels[0]!, ...channels[1]!]) : Float32Array.from({ length: 16 }, (_, i) => channels[i % 2]![i >> 1]!);
        const { output, indices } = await p.maxPool3d(p.tensor(data, [1, 2, 2, 2, 2], { layout }), { kernelSize: 2048, padding: 1023, padValue: 0, returnIndices: true });
        expect(Array.from(await output.read()), `${p.backend} ${layout}`).toEqual([0, 5]);
        expect(Array.from(await indices.read()), `${p.backend} ${layout}`).toEqual([-1, 6]);
      }
    }
  });

  it('a 3-D average divides by its 2^33 declared taps (f32, no i32 wrap)', async () => {
    // 2048^3 taps over a 2x2x2 input padded by 1023: one window, 8 real elements.
    const x3 = Float32Array.from({ length: 8 }, (_, i) => i - 2.5);
    const sum3 = x3.reduce((a, b) => a + b, 0);
    for (const p of [pool(), await createPooling({ backend: 'cpu' })]) {
      const y = await p.avgPool3d(p.tensor(x3, [1, 1, 2, 2, 2]), { kernelSize: 2048, padding: 1023 });
      expect(y.shape).toEqual([1, 1, 1, 1, 1]);
      expect((await y.read())[0], p.backend).toBe(Math.fround(sum3 / 2 ** 33));
    }
  });
});

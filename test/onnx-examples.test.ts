/**
 * ONNX's own worked examples for its pooling operators (the "precomputed" node tests of the ONNX
 * operator documentation: MaxPool, AveragePool, MaxPool with its Indices output, MaxUnpool,
 * GlobalMaxPool, GlobalAveragePool), transcribed as ONNX states them: input, attributes, expected
 * output. Each runs through the public API with the ONNX attributes mapped to ours (strides default
 * to 1 in ONNX, to the kernel in PyTorch, so every case passes them; auto_pad SAME_UPPER is
 * `padding: 'same'`, SAME_LOWER `'same-lower'`; count_include_pad 0 is `countIncludePad: false`;
 * Indices are `indexFormat: 'tensor'`, storage_order 1 `indexOrder: 'column-major'`), on the CPU
 * backend and on WebGPU, and must give ONNX's numbers: exactly for max and indices, within 1e-6
 * for averages (ONNX prints them rounded to 4 decimals where they do not terminate).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPooling, type Pooling, type Tensor } from '../src/index.js';
import { testAdapterKind } from './helpers/gpu.js';

const iota = (n: number) => Float32Array.from({ length: n }, (_, i) => i + 1);

interface Example {
  name: string;
  run(p: Pooling): Promise<{ values: ArrayLike<number>; indices?: ArrayLike<number> }>;
  values: number[];
  indices?: number[];
  /** Averages ONNX rounds in print: compare within this. */
  tolerance?: number;
}

const read = (t: Tensor) => t.readFloat32();

const EXAMPLES: Example[] = [
  {
    name: 'maxpool_2d_precomputed_pads (k5, s1, pads 2)',
    run: async (p) => ({ values: await read((await p.maxPool2d(p.tensor(iota(25), [1, 1, 5, 5]), { kernelSize: 5, stride: 1, padding: 2 })).output) }),
    values: [13, 14, 15, 15, 15, 18, 19, 20, 20, 20, 23, 24, 25, 25, 25, 23, 24, 25, 25, 25, 23, 24, 25, 25, 25],
  },
  {
    name: 'maxpool_2d_precomputed_strides (k2, s2)',
    run: async (p) => ({ values: await read((await p.maxPool2d(p.tensor(iota(25), [1, 1, 5, 5]), { kernelSize: 2, stride: 2 })).output) }),
    values: [7, 9, 17, 19],
  },
  {
    name: 'maxpool_2d_precomputed_same_upper (k3, s2, SAME_UPPER)',
    run: async (p) => ({ values: await read((await p.maxPool2d(p.tensor(iota(25), [1, 1, 5, 5]), { kernelSize: 3, stride: 2, padding: 'same' })).output) }),
    values: [7, 9, 10, 17, 19, 20, 22, 24, 25],
  },
  {
    name: 'maxpool_2d_ceil (k3, s2, ceil_mode 1)',
    run: async (p) => ({ values: await read((await p.maxPool2d(p.tensor(iota(16), [1, 1, 4, 4]), { kernelSize: 3, stride: 2, ceilMode: true })).output) }),
    values: [11, 12, 15, 16],
  },
  {
    name: 'maxpool_2d_dilations (k2, s1, dilations 2)',
    run: async (p) => ({ values: await read((await p.maxPool2d(p.tensor(iota(16), [1, 1, 4, 4]), { kernelSize: 2, stride: 1, dilation: 2 })).output) }),
    values: [11, 12, 15, 16],
  },
  {
    name: 'maxpool_3d_dilations (k2, s1, dilations 2)',
    run: async (p) => ({ values: await read((await p.maxPool3d(p.tensor(iota(64), [1, 1, 4, 4, 4]), { kernelSize: 2, stride: 1, dilation: 2 })).output) }),
    values: [43, 44, 47, 48, 59, 60, 63, 64],
  },
  {
    name: 'maxpool_with_argmax_2d_precomputed_pads (k5, s1, pads 2; Indices)',
    run: async (p) => {
      const r = await p.maxPool2d(p.tensor(iota(25), [1, 1, 5, 5]), { kernelSize: 5, stride: 1, padding: 2, returnIndices: true, indexFormat: 'tensor' });
      return { values: await read(r.output), indices: await r.indices.read() };
    },
    values: [13, 14, 15, 15, 15, 18, 19, 20, 20, 20, 23, 24, 25, 25, 25, 23, 24, 25, 25, 25, 23, 24, 25, 25, 25],
    indices: [12, 13, 14, 14, 14, 17, 18, 19, 19, 19, 22, 23, 24, 24, 24, 22, 23, 24, 24, 24, 22, 23, 24, 24, 24],
  },
  {
    name: 'maxpool_with_argmax_2d_precomputed_strides (k2, s2, storage_order 1; Indices)',
    run: async (p) => {
      const r = await p.maxPool2d(p.tensor(iota(25), [1, 1, 5, 5]), { kernelSize: 2, stride: 2, returnIndices: true, indexFormat: 'tensor', indexOrder: 'column-major' });
      return { values: await read(r.output), indices: await r.indices.read() };
    },
    values: [7, 9, 17, 19],
    indices: [6, 16, 8, 18],
  },
  {
    name: 'averagepool_2d_precomputed_pads (k5, s1, pads 2, count_include_pad 0)',
    run: async (p) => ({ values: await read(await p.avgPool2d(p.tensor(iota(25), [1, 1, 5, 5]), { kernelSize: 5, stride: 1, padding: 2, countIncludePad: false })) }),
    values: [7, 7.5, 8, 8.5, 9, 9.5, 10, 10.5, 11, 11.5, 12, 12.5, 13, 13.5, 14, 14.5, 15, 15.5, 16, 16.5, 17, 17.5, 18, 18.5, 19],
    tolerance: 1e-6,
  },
  {
    name: 'averagepool_2d_precomputed_pads_count_include_pad (k5, s1, pads 2, count_include_pad 1)',
    run: async (p) => ({ values: await read(await p.avgPool2d(p.tensor(iota(25), [1, 1, 5, 5]), { kernelSize: 5, stride: 1, padding: 2, countIncludePad: true })) }),
    values: [2.52, 3.6, 4.8, 4.08, 3.24, 4.56, 6.4, 8.4, 7.04, 5.52, 7.2, 10, 13, 10.8, 8.4, 6.96, 9.6, 12.4, 10.24, 7.92, 6.12, 8.4, 10.8, 8.88, 6.84],
    tolerance: 1e-5,
  },
  {
    name: 'averagepool_2d_precomputed_strides (k2, s2)',
    run: async (p) => ({ values: await read(await p.avgPool2d(p.tensor(iota(25), [1, 1, 5, 5]), { kernelSize: 2, stride: 2 })) }),
    values: [4, 6, 14, 16],
    tolerance: 1e-6,
  },
  {
    name: 'averagepool_2d_precomputed_same_upper (k3, s2, SAME_UPPER, count_include_pad 0)',
    run: async (p) => ({ values: await read(await p.avgPool2d(p.tensor(iota(25), [1, 1, 5, 5]), { kernelSize: 3, stride: 2, padding: 'same', countIncludePad: false })) }),
    values: [4, 5.5, 7, 11.5, 13, 14.5, 19, 20.5, 22],
    tolerance: 1e-6,
  },
  {
    name: 'averagepool_2d_ceil (k3, s2, ceil_mode 1)',
    run: async (p) => ({ values: await read(await p.avgPool2d(p.tensor(iota(16), [1, 1, 4, 4]), { kernelSize: 3, stride: 2, ceilMode: true, countIncludePad: false })) }),
    values: [6, 7.5, 12, 13.5],
    tolerance: 1e-6,
  },
  {
    // SAME_UPPER puts the odd padding at the end, SAME_LOWER at the start: with k2 s1 each output
    // is its window's last element under SAME_LOWER and clamped first-next under SAME_UPPER.
    name: 'auto_pad SAME_LOWER against SAME_UPPER (k2, s1)',
    run: async (p) => {
      const x = p.tensor(iota(25), [1, 1, 5, 5]);
      const lower = await read((await p.maxPool2d(x, { kernelSize: 2, stride: 1, padding: 'same-lower' })).output);
      const upper = await read((await p.maxPool2d(x, { kernelSize: 2, stride: 1, padding: 'same' })).output);
      return { values: [...lower, ...upper] };
    },
    values: [...Array.from({ length: 25 }, (_, i) => i + 1), ...Array.from({ length: 25 }, (_, i) => Math.min(Math.floor(i / 5) + 1, 4) * 5 + Math.min((i % 5) + 1, 4) + 1)],
  },
  {
    name: 'maxunpool_export_without_output_shape (k2, s2)',
    run: async (p) => {
      const x = p.tensor(Float32Array.of(1, 2, 3, 4), [1, 1, 2, 2]);
      const i = p.tensor(Int32Array.of(5, 7, 13, 15), [1, 1, 2, 2], { dtype: 'int32' });
      return { values: await read(await p.maxUnpool2d(x, i, { kernelSize: 2, stride: 2 })) };
    },
    values: [0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4],
  },
  {
    name: 'maxunpool_export_with_output_shape (k2, s2, output_shape 1×1×5×5)',
    run: async (p) => {
      const x = p.tensor(Float32Array.of(5, 6, 7, 8), [1, 1, 2, 2]);
      const i = p.tensor(Int32Array.of(5, 7, 13, 15), [1, 1, 2, 2], { dtype: 'int32' });
      return { values: await read(await p.maxUnpool2d(x, i, { kernelSize: 2, stride: 2, outputSize: [5, 5] })) };
    },
    values: [0, 0, 0, 0, 0, 5, 0, 6, 0, 0, 0, 0, 0, 7, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  },
  {
    name: 'globalmaxpool_precomputed',
    run: async (p) => ({ values: await read((await p.globalMaxPool(p.tensor(iota(9), [1, 1, 3, 3]))).output) }),
    values: [9],
  },
  {
    name: 'globalaveragepool_precomputed',
    run: async (p) => ({ values: await read(await p.globalAvgPool(p.tensor(iota(9), [1, 1, 3, 3]))) }),
    values: [5],
    tolerance: 1e-6,
  },
];

for (const backend of ['cpu', 'webgpu'] as const) {
  describe(`ONNX's worked examples, ${backend} backend`, () => {
    let p: Pooling;
    beforeAll(async () => {
      p = await createPooling(backend === 'cpu' ? { backend } : { backend, nodeAdapter: testAdapterKind() });
    });
    afterAll(() => p.destroy());

    for (const ex of EXAMPLES) {
      it(ex.name, async () => {
        const got = await ex.run(p);
        if (ex.tolerance === undefined) expect(Array.from(got.values)).toEqual(ex.values);
        else {
          expect(got.values.length).toBe(ex.values.length);
          ex.values.forEach((v, k) => expect(Math.abs(got.values[k]! - v), `element ${k}: ${got.values[k]} against ONNX's ${v}`).toBeLessThanOrEqual(ex.tolerance! * Math.max(1, Math.abs(v))));
        }
        if (ex.indices) expect(Array.from(got.indices!)).toEqual(ex.indices);
      });
    }
  });
}

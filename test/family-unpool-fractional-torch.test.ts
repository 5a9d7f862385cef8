/**
 * PyTorch's own results (test/fixtures/torch-unpool-fractional.json, made by
 * scripts/torch-fixtures-unpool-fractional.py with torch 2.13 CPU) for max_unpool1d/2d/3d and
 * fractional_max_pool2d/3d with `_random_samples`: outputs, indices and autograd dx, held bit-exact
 * on both backends, in both memory orders.
 */
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import type { Pooling, Tensor } from '../src/index.js';
import type { SpatialRank, TensorLayout } from '../src/types.js';
import { useBothContexts } from './helpers/contexts.js';
import { fromLayout, inLayout, LAYOUTS } from './helpers/nd-windows.js';
import { expectExact, floats, type JsonFloat } from './helpers/torch-fixtures.js';

interface Case {
  name: string;
  rank: SpatialRank;
  shape: number[];
  outputShape: number[];
  options: Record<string, unknown>;
  samples?: number[];
  x: JsonFloat[];
  indices: number[];
  output: JsonFloat[];
  dy: JsonFloat[];
  dx: JsonFloat[];
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/torch-unpool-fractional.json', import.meta.url), 'utf8')) as { torch: string; unpool: Case[]; fractional: Case[] };

const both = useBothContexts();

function layouts(rank: SpatialRank): [TensorLayout, boolean][] {
  return [
    [LAYOUTS[rank][0] as TensorLayout, false],
    [LAYOUTS[rank][1] as TensorLayout, true],
  ];
}

async function readBack(t: Tensor, shape: readonly number[], channelsLast: boolean): Promise<Float32Array> {
  return fromLayout(await t.readFloat32(), shape, channelsLast);
}

describe.each(both.each)(`PyTorch ${fixtures.torch} on %s`, (_name, context) => {
  it.each(fixtures.unpool.map((c) => [c.name, c] as const))('max_unpool: %s', async (_n, c) => {
    const p: Pooling = context();
    for (const [layout, cl] of layouts(c.rank)) {
      const x = p.tensor(inLayout(floats(c.x), c.shape, cl), c.shape, { layout });
      const idx = p.tensor(inLayout(Int32Array.from(c.indices), c.shape, cl), c.shape, { layout, dtype: 'int32' });
      const dy = p.tensor(inLayout(floats(c.dy), c.outputShape, cl), c.outputShape, { layout });
      const un = [p.maxUnpool1d, p.maxUnpool2d, p.maxUnpool3d][c.rank - 1]!.bind(p);
      const back = [p.maxUnpool1dBackward, p.maxUnpool2dBackward, p.maxUnpool3dBackward][c.rank - 1]!.bind(p);
      const y = await un(x, idx, c.options as never);
      expectExact(await readBack(y, c.outputShape, cl), floats(c.output), `${c.name} ${layout} output`);
      const dx = await back(dy, idx, c.options as never);
      expectExact(await readBack(dx, c.shape, cl), floats(c.dx), `${c.name} ${layout} dx`);
      for (const t of [x, idx, dy, y, dx]) t.destroy();
    }
  });

  it.each(fixtures.fractional.map((c) => [c.name, c] as const))('fractional_max_pool: %s', async (_n, c) => {
    const p: Pooling = context();
    const rank = c.rank as 2 | 3;
    for (const [layout, cl] of layouts(rank)) {
      const x = p.tensor(inLayout(floats(c.x), c.shape, cl), c.shape, { layout });
      const fwd = rank === 2 ? p.fractionalMaxPool2d.bind(p) : p.fractionalMaxPool3d.bind(p);
      const back = rank === 2 ? p.fractionalMaxPool2dBackward.bind(p) : p.fractionalMaxPool3dBackward.bind(p);
      const { output, indices } = await fwd(x, { ...c.options, samples: c.samples!, returnIndices: true } as never);
      expectExact(await readBack(output, c.outputShape, cl), floats(c.output), `${c.name} ${layout} output`);
      expectExact(fromLayout((await indices!.read()) as Int32Array, c.outputShape, cl), c.indices, `${c.name} ${layout} indices`);
      const dy = p.tensor(inLayout(floats(c.dy), c.outputShape, cl), c.outputShape, { layout });
      const dx = await back(dy, indices!, { inputShape: c.shape });
      expectExact(await readBack(dx, c.shape, cl), floats(c.dx), `${c.name} ${layout} dx`);
      for (const t of [x, output, indices!, dy, dx]) t.destroy();
    }
  });
});

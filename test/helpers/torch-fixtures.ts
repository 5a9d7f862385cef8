/**
 * PyTorch's results for the 1-D and 3-D windowed ops (test/fixtures/torch-nd.json, made by
 * scripts/torch-fixtures.py), and the exact comparison they are held to.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { SpatialRank } from '../../src/types.js';
import { count } from './nd-windows.js';

export type JsonFloat = number | 'NaN' | 'Infinity' | '-Infinity';

export interface Fixture {
  name: string;
  op: 'max' | 'avg';
  rank: SpatialRank;
  shape: number[];
  outputShape: number[];
  channelsLastInTorch: boolean;
  options: Record<string, unknown>;
  x: JsonFloat[];
  output: JsonFloat[];
  indices?: number[];
  dy: JsonFloat[];
  dx: JsonFloat[];
}

export const torchNd = JSON.parse(readFileSync(new URL('../fixtures/torch-nd.json', import.meta.url), 'utf8')) as { torch: string; cases: Fixture[] };

export const floats = (v: readonly JsonFloat[]) => Float32Array.from(v, (e) => (typeof e === 'number' ? e : Number(e)));

/** A fixture's tensors as f32 (channel-first), with N, C and the input and output volumes. */
export function fixtureData(f: Fixture) {
  const [N, C] = f.shape as [number, number];
  return {
    N,
    C,
    inVol: count(f.shape) / (N * C),
    outVol: count(f.outputShape) / (N * C),
    x: floats(f.x),
    dy: floats(f.dy),
    wantOut: floats(f.output),
    wantDx: floats(f.dx),
  };
}

/** Exact as values: NaN equals NaN (of any sign), -0 differs from +0. */
export function expectExact(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)))) expect.fail(`${what}: element ${i} is ${Object.is(g, -0) ? '-0' : g}, PyTorch ${Object.is(w, -0) ? '-0' : w}`);
  }
}

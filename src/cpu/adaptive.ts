/**
 * Fast CPU kernels of adaptive max and average pooling, any spatial rank (as three axes D, H, W,
 * leading axes of size 1) and both memory orders, held to src/reference/adaptive.ts. Window bounds
 * come from per-axis tables made once per call (integer arithmetic); offsets advance by additions;
 * nothing is allocated per element. Channel-first tensors run plane by plane; channels-last ones
 * run pixel by pixel with the channels innermost (contiguous loads), accumulating into per-call
 * arrays of C entries. Sums are f64.
 */
import type { AdaptiveShape } from '../reference/adaptive.js';

interface Volume {
  N: number;
  C: number;
  /** Input and output sizes as (D, H, W). */
  inS: [number, number, number];
  outS: [number, number, number];
  /** Per axis, window bounds of every output position: begin[o], end[o]. */
  begin: [Int32Array, Int32Array, Int32Array];
  end: [Int32Array, Int32Array, Int32Array];
  inVol: number;
  outVol: number;
}

function axisTable(I: number, O: number): [Int32Array, Int32Array] {
  const begin = new Int32Array(O);
  const end = new Int32Array(O);
  for (let o = 0; o < O; o++) {
    const a = o * I;
    const b = (o + 1) * I + O - 1;
    begin[o] = (a - (a % O)) / O;
    end[o] = (b - (b % O)) / O;
  }
  return [begin, end];
}

function volumeOf(g: AdaptiveShape): Volume {
  const lead = 3 - g.inSize.length;
  const inS = [1, 1, 1].map((one, a) => (a < lead ? one : g.inSize[a - lead]!)) as [number, number, number];
  const outS = [1, 1, 1].map((one, a) => (a < lead ? one : g.outSize[a - lead]!)) as [number, number, number];
  const tables = [0, 1, 2].map((a) => axisTable(inS[a]!, outS[a]!));
  return {
    N: g.N,
    C: g.C,
    inS,
    outS,
    begin: [tables[0]![0], tables[1]![0], tables[2]![0]],
    end: [tables[0]![1], tables[1]![1], tables[2]![1]],
    inVol: inS[0] * inS[1] * inS[2],
    outVol: outS[0] * outS[1] * outS[2],
  };
}

/**
 * Calls body(outPos, d0, d1, h0, h1, w0, w1) for every output position of one (n, c) volume, in
 * order, with its window bounds per axis.
 */
type WindowBody = (outPos: number, d0: number, d1: number, h0: number, h1: number, w0: number, w1: number) => void;
function forEachWindow(v: Volume, body: WindowBody): void {
  const [bd, bh, bw] = v.begin;
  const [ed, eh, ew] = v.end;
  let outPos = 0;
  for (let od = 0; od < v.outS[0]; od++) {
    for (let oh = 0; oh < v.outS[1]; oh++) {
      for (let ow = 0; ow < v.outS[2]; ow++) body(outPos++, bd[od]!, ed[od]!, bh[oh]!, eh[oh]!, bw[ow]!, ew[ow]!);
    }
  }
}

/** Adaptive max pooling (first maximum wins, the last NaN wins, no sentinel); indices always made. */
export function adaptiveMaxPool(x: Float32Array, channelsLast: boolean, g: AdaptiveShape): { output: Float32Array; indices: Int32Array } {
  const v = volumeOf(g);
  const { N, C, inVol, outVol } = v;
  const [, H, W] = v.inS;
  const HW = H * W;
  const output = new Float32Array(N * C * outVol);
  const indices = new Int32Array(output.length);
  if (!channelsLast) {
    for (let plane = 0; plane < N * C; plane++) {
      const base = plane * inVol;
      const outBase = plane * outVol;
      forEachWindow(v, (o, d0, d1, h0, h1, w0, w1) => {
        let best = 0;
        let bestIndex = -1;
        for (let d = d0; d < d1; d++) {
          for (let h = h0; h < h1; h++) {
            const row = d * HW + h * W;
            for (let p = row + w0; p < row + w1; p++) {
              const val = x[base + p]!;
              if (bestIndex < 0 || val > best || val !== val) {
                best = val;
                bestIndex = p;
              }
            }
          }
        }
        output[outBase + o] = best;
        indices[outBase + o] = bestIndex;
      });
    }
    return { output, indices };
  }
  const best = new Float32Array(C);
  const bestIndex = new Int32Array(C);
  for (let n = 0; n < N; n++) {
    const base = n * inVol * C;
    const outBase = n * outVol * C;
    forEachWindow(v, (o, d0, d1, h0, h1, w0, w1) => {
      bestIndex.fill(-1);
      for (let d = d0; d < d1; d++) {
        for (let h = h0; h < h1; h++) {
          const row = d * HW + h * W;
          for (let p = row + w0; p < row + w1; p++) {
            const at = base + p * C;
            for (let c = 0; c < C; c++) {
              const val = x[at + c]!;
              if (bestIndex[c]! < 0 || val > best[c]! || val !== val) {
                best[c] = val;
                bestIndex[c] = p;
              }
            }
          }
        }
      }
      output.set(best, outBase + o * C);
      indices.set(bestIndex, outBase + o * C);
    });
  }
  return { output, indices };
}

/** Adaptive average pooling: f64 sum over the window's element count. */
export function adaptiveAvgPool(x: Float32Array, channelsLast: boolean, g: AdaptiveShape): Float32Array {
  const v = volumeOf(g);
  const { N, C, inVol, outVol } = v;
  const [, H, W] = v.inS;
  const HW = H * W;
  const output = new Float32Array(N * C * outVol);
  if (!channelsLast) {
    for (let plane = 0; plane < N * C; plane++) {
      const base = plane * inVol;
      const outBase = plane * outVol;
      forEachWindow(v, (o, d0, d1, h0, h1, w0, w1) => {
        let sum = 0;
        for (let d = d0; d < d1; d++) {
          for (let h = h0; h < h1; h++) {
            const row = base + d * HW + h * W;
            for (let p = row + w0; p < row + w1; p++) sum += x[p]!;
          }
        }
        output[outBase + o] = sum / ((d1 - d0) * (h1 - h0) * (w1 - w0));
      });
    }
    return output;
  }
  const sums = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    const base = n * inVol * C;
    const outBase = n * outVol * C;
    forEachWindow(v, (o, d0, d1, h0, h1, w0, w1) => {
      sums.fill(0);
      for (let d = d0; d < d1; d++) {
        for (let h = h0; h < h1; h++) {
          const row = d * HW + h * W;
          for (let p = row + w0; p < row + w1; p++) {
            const at = base + p * C;
            for (let c = 0; c < C; c++) sums[c]! += x[at + c]!;
          }
        }
      }
      const size = (d1 - d0) * (h1 - h0) * (w1 - w0);
      const at = outBase + o * C;
      for (let c = 0; c < C; c++) output[at + c] = sums[c]! / size;
    });
  }
  return output;
}

/** Backward of adaptive average pooling: dy / window size to every element of the window, f64 sums. */
export function adaptiveAvgPoolBackward(dy: Float32Array, channelsLast: boolean, g: AdaptiveShape): Float32Array {
  const v = volumeOf(g);
  const { N, C, inVol, outVol } = v;
  const [, H, W] = v.inS;
  const HW = H * W;
  const acc = new Float64Array(N * C * inVol);
  const planes = channelsLast ? N : N * C;
  const step = channelsLast ? C : 1;
  const lanes = channelsLast ? C : 1;
  for (let u = 0; u < planes; u++) {
    const base = u * inVol * lanes;
    const outBase = u * outVol * lanes;
    forEachWindow(v, (o, d0, d1, h0, h1, w0, w1) => {
      const size = (d1 - d0) * (h1 - h0) * (w1 - w0);
      const at = outBase + o * lanes;
      for (let d = d0; d < d1; d++) {
        for (let h = h0; h < h1; h++) {
          const row = d * HW + h * W;
          for (let p = row + w0; p < row + w1; p++) {
            const to = base + p * step;
            for (let c = 0; c < lanes; c++) acc[to + c]! += dy[at + c]! / size;
          }
        }
      }
    });
  }
  return Float32Array.from(acc);
}

/**
 * Backward of adaptive max pooling with the index rule: dy[o] goes to the element its index names
 * when that element lies in o's own window; any other index is dropped.
 */
export function adaptiveMaxPoolBackward(dy: Float32Array, indices: Int32Array, channelsLast: boolean, g: AdaptiveShape): Float32Array {
  const v = volumeOf(g);
  const { N, C, inVol, outVol } = v;
  const [, H, W] = v.inS;
  const HW = H * W;
  const acc = new Float64Array(N * C * inVol);
  const planes = channelsLast ? N : N * C;
  const step = channelsLast ? C : 1;
  const lanes = channelsLast ? C : 1;
  for (let u = 0; u < planes; u++) {
    const base = u * inVol * lanes;
    const outBase = u * outVol * lanes;
    forEachWindow(v, (o, d0, d1, h0, h1, w0, w1) => {
      const at = outBase + o * lanes;
      for (let c = 0; c < lanes; c++) {
        const idx = indices[at + c]!;
        if (idx < 0 || idx >= inVol) continue;
        const d = Math.floor(idx / HW);
        const h = Math.floor((idx - d * HW) / W);
        const w = idx - d * HW - h * W;
        if (d >= d0 && d < d1 && h >= h0 && h < h1 && w >= w0 && w < w1) acc[base + idx * step + c]! += dy[at + c]!;
      }
    });
  }
  return Float32Array.from(acc);
}

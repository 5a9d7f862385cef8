/**
 * 3-D max and average pooling through the 2-D SIMD kernels. Max: a window's max is the max over its depth taps of
 * the 2-D (h, w) maxima of those depth slices. So every depth slice is pooled once in 2-D (NCDHW:
 * the N·C·D slices are contiguous H×W planes; NDHWC: the N·D slices are contiguous H×W×C images),
 * and each output combines the slices its depth taps name, in depth order, with the reference's
 * test (`v > m || v != v`). Taking the 2-D winner of each slice, then the first winner over the
 * slices in depth order, is the first maximum (or last NaN) of the window in (d, h, w) order: the
 * reference's value and index, bit for bit. A slice that several windows overlap is pooled once.
 *
 * Average: each slice's 2-D window sums (f32, from +0, in (h, w) order, the SIMD kernel with a
 * divisor of 1), added over the depth taps in f64 and divided by the 3-D window's divisor: within
 * docs/semantics.md's tolerance of the reference's f64 sums in (d, h, w) order.
 *
 * Each returns null where it does not apply: no SIMD kernels, zero padding, TF.js's NaN or
 * empty-window rules, windows without a real tap, or (average) dilation across a slice (the N-d
 * kernels run those).
 */
import { hasEmptyWindows } from '../geometry.js';
import type { AvgWindow, MaxPoolParams, MaxWindow, PoolGeometry, WindowGeometry } from '../types.js';
import { axisTaps } from './axis-taps.js';
import { giveBack, takeFloat32, takeInt32 } from './host-arrays.js';
import { avgDivisors } from './nd-pool.js';
import { avgPoolSimd, maxPoolSimd } from './simd.js';

/** The 2-D problem over every depth slice: NCDHW as N·C·D planes, NDHWC as N·D images. */
function sliceGeometry(g: WindowGeometry, channelsLast: boolean): PoolGeometry {
  const [D, H, W] = g.inSize as [number, number, number];
  return {
    N: channelsLast ? g.N * D : 1,
    C: channelsLast ? g.C : g.N * g.C * D,
    H,
    W,
    kH: g.kernel[1]!,
    kW: g.kernel[2]!,
    sH: g.stride[1]!,
    sW: g.stride[2]!,
    dH: g.dilation[1]!,
    dW: g.dilation[2]!,
    padTop: g.padBegin[1]!,
    padLeft: g.padBegin[2]!,
    padBottom: g.padEnd[1]!,
    padRight: g.padEnd[2]!,
    outH: g.outSize[1]!,
    outW: g.outSize[2]!,
  };
}

const depthTaps = (g: WindowGeometry) => axisTaps(g.outSize[0]!, g.inSize[0]!, g.kernel[0]!, g.stride[0]!, g.dilation[0]!, g.padBegin[0]!, g.padEnd[0]!);

export function maxPool3dByPlanes(x: Float32Array, channelsLast: boolean, g: MaxWindow, withIndices: boolean): { output: Float32Array; indices: Int32Array | null } | null {
  if (g.rank !== 3 || g.padWithZero || g.ignoreNan || g.emptyValue !== undefined || hasEmptyWindows(g)) return null;
  const [D, H, W] = g.inSize as [number, number, number];
  const [outD, outH, outW] = g.outSize as [number, number, number];
  const { N, C } = g;
  const p: MaxPoolParams = { ...sliceGeometry(g, channelsLast), padWithZero: false };
  const slices = maxPoolSimd(x, channelsLast ? 'NHWC' : 'NCHW', p, withIndices);
  if (slices === null) return null;
  const z = slices.output;
  const zi = slices.indices;
  const depth = depthTaps(g);
  // Elements of one pooled slice: an H×W plane's outputs (NCDHW) or an image's outputs of all C (NDHWC).
  const slice = outH * outW * (channelsLast ? C : 1);
  const groups = channelsLast ? N : N * C;
  // Every output is written (its first depth tap copies, no window is empty): reused arrays do.
  const output = takeFloat32(groups * outD * slice);
  const indices = withIndices ? takeInt32(output.length) : null;
  const outBits = new Int32Array(output.buffer);
  const zBits = new Int32Array(z.buffer, z.byteOffset, z.length);
  const HW = H * W;
  for (let v = 0; v < groups; v++) {
    for (let od = 0; od < outD; od++) {
      const to = (v * outD + od) * slice;
      const first = depth.first[od]!;
      for (let t = first; t < depth.end[od]!; t++) {
        const d = depth.start[od]! + t * g.dilation[0]!;
        const from = (v * D + d) * slice;
        if (t === first) {
          for (let i = 0; i < slice; i++) outBits[to + i] = zBits[from + i]!;
          if (indices) for (let i = 0; i < slice; i++) indices[to + i] = d * HW + zi![from + i]!;
          continue;
        }
        // The reference's test as a 0/-1 mask that selects bits (as the JavaScript kernels, "No
        // float select" in docs/cpu-backend.md): a branch on it is mispredicted half the time on
        // real data, which cost 2.3× as much.
        if (indices) {
          for (let i = 0; i < slice; i++) {
            const value = z[from + i]!;
            const take = -(((value > output[to + i]!) as unknown as number) | ((value !== value) as unknown as number));
            outBits[to + i] = (outBits[to + i]! & ~take) | (zBits[from + i]! & take);
            indices[to + i] = (indices[to + i]! & ~take) | ((d * HW + zi![from + i]!) & take);
          }
        } else {
          for (let i = 0; i < slice; i++) {
            const value = z[from + i]!;
            const take = -(((value > output[to + i]!) as unknown as number) | ((value !== value) as unknown as number));
            outBits[to + i] = (outBits[to + i]! & ~take) | (zBits[from + i]! & take);
          }
        }
      }
    }
  }
  giveBack(z);
  giveBack(zi);
  return { output, indices };
}

export function avgPool3dByPlanes(x: Float32Array, channelsLast: boolean, g: AvgWindow): Float32Array | null {
  // The 2-D SIMD average has no dilation (ONNX's dilated averages run the N-d kernel).
  if (g.rank !== 3 || g.dilation[1]! > 1 || g.dilation[2]! > 1 || hasEmptyWindows(g)) return null;
  const D = g.inSize[0]!;
  const [outD, outH, outW] = g.outSize as [number, number, number];
  const { N, C } = g;
  const sums = avgPoolSimd(x, channelsLast ? 'NHWC' : 'NCHW', { ...sliceGeometry(g, channelsLast), countIncludePad: false, divisorOverride: 1 });
  if (sums === null) return null;
  const depth = depthTaps(g);
  const divisor = avgDivisors(g);
  const pixels = outH * outW;
  const lanes = channelsLast ? C : 1;
  const slice = pixels * lanes;
  const groups = channelsLast ? N : N * C;
  const output = takeFloat32(groups * outD * slice);
  const acc = new Float64Array(slice);
  for (let v = 0; v < groups; v++) {
    for (let od = 0; od < outD; od++) {
      acc.fill(0);
      for (let t = depth.first[od]!; t < depth.end[od]!; t++) {
        const from = (v * D + depth.start[od]! + t * g.dilation[0]!) * slice;
        for (let i = 0; i < slice; i++) acc[i]! += sums[from + i]!;
      }
      const to = (v * outD + od) * slice;
      for (let q = 0, i = 0; q < pixels; q++) {
        const d = divisor[od * pixels + q]!;
        for (let c = 0; c < lanes; c++, i++) output[to + i] = d === 0 ? 0 : acc[i]! / d;
      }
    }
  }
  giveBack(sums);
  return output;
}

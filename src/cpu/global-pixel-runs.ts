/**
 * The global ops over runs of one unit's pixels (a plane, NCHW, or an image of C channels, NHWC),
 * the state carried between runs, for the CPU backend's slices of a unit too large for one slice
 * (src/host/cpu-chunks.ts). Each gives the whole kernel's bits: max folds each run's winners in
 * scan order (foldGlobalMax), average adds each run into the unit's f64 sums in the whole kernel's
 * order (addGlobalSums), and the backward ops write each run's part of dx as the whole fill does.
 */
import type { HostArrays, PixelRuns } from '../ops/descriptor.js';
import type { Layout, PlaneShape } from '../types.js';
import { addGlobalSums, foldGlobalMax, globalMaxPool, globalMeans, globalSumCount } from './global-pool.js';

/** Channels of one unit: 1 for a plane, C for a channels-last image. */
const unitChannels = (layout: Layout, s: PlaneShape) => (layout === 'NHWC' ? s.C : 1);

export function globalMaxRuns(layout: Layout, s: PlaneShape): PixelRuns {
  const channels = unitChannels(layout, s);
  const m = new Float32Array(channels);
  const index = new Int32Array(channels);
  let first = true;
  return {
    run(from, to, inputs) {
      const r = globalMaxPool(inputs.x as Float32Array, layout, { N: 1, C: channels, H: 1, W: to - from });
      if (first) {
        m.set(r.output);
        for (let c = 0; c < channels; c++) index[c] = r.indices[c]! + from;
        first = false;
      } else foldGlobalMax(m, index, r.output, r.indices, from);
      return {};
    },
    finish: () => ({ y: m, y_indices: index }),
  };
}

export function globalAvgRuns(layout: Layout, s: PlaneShape): PixelRuns {
  const sums = new Float64Array(globalSumCount(layout, s.C));
  return {
    run(_from, _to, inputs) {
      addGlobalSums(inputs.x as Float32Array, layout, s.C, sums);
      return {};
    },
    finish() {
      const y = new Float32Array(unitChannels(layout, s));
      globalMeans(sums, layout, s.H * s.W, y, 0);
      return { y };
    },
  };
}

/** dy / (H·W) at every pixel of the run, as globalAvgPoolBackward fills a whole unit. */
export function globalAvgBackwardRuns(layout: Layout, s: PlaneShape, unit: HostArrays): PixelRuns {
  const channels = unitChannels(layout, s);
  const dy = unit.dy as Float32Array;
  const shares = new Float32Array(channels);
  for (let c = 0; c < channels; c++) shares[c] = dy[c]! / (s.H * s.W);
  return {
    run(from, to) {
      const dx = new Float32Array((to - from) * channels);
      if (channels === 1) dx.fill(shares[0]!);
      else for (let i = 0; i < to - from; i++) dx.set(shares, i * channels);
      return { dx };
    },
    finish: () => ({}),
  };
}

/** dy at each channel's argmax where it falls in the run (an index outside the plane sends nothing), else 0. */
export function globalMaxBackwardRuns(layout: Layout, s: PlaneShape, unit: HostArrays): PixelRuns {
  const channels = unitChannels(layout, s);
  const dy = unit.dy as Float32Array;
  const indices = unit.indices as Int32Array;
  return {
    run(from, to) {
      const dx = new Float32Array((to - from) * channels);
      for (let c = 0; c < channels; c++) {
        const i = indices[c]!;
        if (i >= from && i < to) dx[(i - from) * channels + c] = dy[c]!;
      }
      return { dx };
    },
    finish: () => ({}),
  };
}

/** The N-d selection rules of docs/nd-selection.md, as data: which kernels a window runs and which backward form 'auto' takes. */
import { expect, it } from 'vitest';
import { chooseNdBackwardForm, onPlaneKernels } from '../src/ops/windowed-pool.js';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';

it("'auto' scatters for max and average on the N-d kernels; an explicit form is kept", () => {
  expect(chooseNdBackwardForm('max', 'auto')).toBe('scatter');
  expect(chooseNdBackwardForm('avg', 'auto')).toBe('scatter');
  expect(chooseNdBackwardForm('avg', 'gather')).toBe('gather');
  expect(chooseNdBackwardForm('max', 'scatter')).toBe('scatter');
});

it('1-D and 2-D windows run the plane kernels, except dilated average pooling; 3-D windows the N-d kernels', () => {
  expect(onPlaneKernels(resolveMaxWindow('t', 1, [1, 1, 9], { kernelSize: 3, dilation: 2 }), 'max')).toBe(true);
  expect(onPlaneKernels(resolveAvgWindow('t', 1, [1, 1, 9], { kernelSize: 3 }), 'avg')).toBe(true);
  expect(onPlaneKernels(resolveAvgWindow('t', 2, [1, 1, 9, 9], { kernelSize: 3, dilation: [1, 2] }), 'avg')).toBe(false);
  expect(onPlaneKernels(resolveMaxWindow('t', 3, [1, 1, 4, 4, 4], { kernelSize: 2 }), 'max')).toBe(false);
});

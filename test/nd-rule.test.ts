/** The N-d selection rules of docs/nd-selection.md, as data: which kernels a window runs and which backward form 'auto' takes. */
import { expect, it } from 'vitest';
import { chooseNdBackwardForm, onPlaneKernels } from '../src/ops/windowed-pool.js';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';

it("'auto': max scatters; average takes the near gather off SwiftShader, else scatters; an explicit form is kept", () => {
  const near = resolveAvgWindow('t', 3, [1, 1, 8, 8, 8], { kernelSize: 3, stride: 2, padding: 1 });
  const overlapping = resolveAvgWindow('t', 3, [1, 1, 8, 8, 8], { kernelSize: 3, stride: 1 });
  const dilated = resolveAvgWindow('t', 2, [1, 1, 9, 9], { kernelSize: 2, stride: 2, dilation: [1, 2] });
  const maxWindow = resolveMaxWindow('t', 3, [1, 1, 8, 8, 8], { kernelSize: 3, stride: 2, padding: 1 });
  for (const kind of ['swiftshader', 'llvmpipe', 'gpu', 'unknown'] as const) {
    expect(chooseNdBackwardForm('max', maxWindow, 'auto', kind)).toBe('scatter');
    expect(chooseNdBackwardForm('avg', near, 'auto', kind)).toBe(kind === 'swiftshader' ? 'scatter' : 'gather');
    expect(chooseNdBackwardForm('avg', overlapping, 'auto', kind)).toBe('scatter');
    expect(chooseNdBackwardForm('avg', dilated, 'auto', kind)).toBe('scatter');
    expect(chooseNdBackwardForm('avg', overlapping, 'gather', kind)).toBe('gather');
    expect(chooseNdBackwardForm('max', maxWindow, 'gather', kind)).toBe('gather');
    expect(chooseNdBackwardForm('avg', near, 'scatter', kind)).toBe('scatter');
  }
});

it('1-D and 2-D windows run the plane kernels, except dilated average pooling; 3-D windows the N-d kernels', () => {
  expect(onPlaneKernels(resolveMaxWindow('t', 1, [1, 1, 9], { kernelSize: 3, dilation: 2 }), 'max')).toBe(true);
  expect(onPlaneKernels(resolveAvgWindow('t', 1, [1, 1, 9], { kernelSize: 3 }), 'avg')).toBe(true);
  expect(onPlaneKernels(resolveAvgWindow('t', 2, [1, 1, 9, 9], { kernelSize: 3, dilation: [1, 2] }), 'avg')).toBe(false);
  expect(onPlaneKernels(resolveMaxWindow('t', 3, [1, 1, 4, 4, 4], { kernelSize: 2 }), 'max')).toBe(false);
});

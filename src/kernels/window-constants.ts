/**
 * Window specialisation of the forward max kernels (shaders/window-constants.wgsl,
 * docs/forward-selection.md): the common windows run pipelines whose kernel size and stride are
 * override constants; every other window, and every average pool, runs the generic pipeline
 * (constants 0), which reads them from the uniform.
 */
import windowConstantsWgsl from '../../shaders/window-constants.wgsl?raw';
import type { PoolGeometry } from '../types.js';

export const windowConstantsSource = windowConstantsWgsl;

/** [kH, kW, sH, sW] of the windows with pipelines of their own, all with dilation 1. */
export const SPECIALISED_WINDOWS: readonly (readonly [number, number, number, number])[] = [
  [2, 2, 2, 2],
  [3, 3, 2, 2],
  [3, 3, 1, 1],
];

export type WindowConstants = { KH: number; KW: number; SH: number; SW: number; DILATED: number };

/** Whether `p` is one of the specialised windows. */
export function isSpecialisedWindow(p: PoolGeometry): boolean {
  return p.dH === 1 && p.dW === 1 && SPECIALISED_WINDOWS.some(([kH, kW, sH, sW]) => p.kH === kH && p.kW === kW && p.sH === sH && p.sW === sW);
}

/**
 * The window constants of a forward plan: the window itself when it is a specialised one and
 * `specialise` holds, zeros (the generic pipeline) otherwise. `specialise: false` forces the generic
 * pipeline (tests and measurements). DILATED says whether either axis is dilated, a compile-time fact
 * either way, so an undilated window's tap loops carry no dilation arithmetic.
 */
export function windowConstants(p: PoolGeometry, specialise = true): WindowConstants {
  const { DILATED } = dilationConstant(p);
  return specialise && isSpecialisedWindow(p) ? { KH: p.kH, KW: p.kW, SH: p.sH, SW: p.sW, DILATED } : { KH: 0, KW: 0, SH: 0, SW: 0, DILATED };
}

/** DILATED alone (declared in window-taps.wgsl): 1 when either axis is dilated, else 0. */
export function dilationConstant(p: PoolGeometry): { DILATED: number } {
  return { DILATED: p.dH > 1 || p.dW > 1 ? 1 : 0 };
}

/**
 * The bundled sample, drawn procedurally so nothing is downloaded: a sky gradient, a sun, coloured
 * discs, a checkerboard and one-pixel lines. The thin bright lines show what the two poolings do
 * differently: max pooling keeps them at every level, average pooling fades them.
 */
import type { RgbImage } from './rgb-image.js';

function smoothstep(edge0: number, edge1: number, v: number): number {
  const t = Math.min(Math.max((v - edge0) / (edge1 - edge0), 0), 1);
  return t * t * (3 - 2 * t);
}

const DISCS: readonly { x: number; y: number; r: number; rgb: [number, number, number] }[] = [
  { x: 0.72, y: 0.22, r: 0.11, rgb: [1, 0.86, 0.3] },
  { x: 0.22, y: 0.5, r: 0.09, rgb: [0.9, 0.2, 0.25] },
  { x: 0.45, y: 0.42, r: 0.06, rgb: [0.2, 0.75, 0.35] },
  { x: 0.8, y: 0.58, r: 0.07, rgb: [0.35, 0.45, 1] },
];

export function sampleImage(size = 256): RgbImage {
  const width = size;
  const height = size;
  const plane = width * height;
  const data = new Float32Array(3 * plane);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = (x + 0.5) / width;
      const v = (y + 0.5) / height;
      // Sky above the horizon, checkerboard below.
      let rgb: [number, number, number];
      if (v < 0.66) {
        rgb = [0.25 + 0.35 * v, 0.45 + 0.3 * v, 0.85 - 0.2 * v];
      } else {
        const check = (Math.floor(x / (size / 16)) + Math.floor(y / (size / 16))) % 2;
        rgb = check ? [0.78, 0.74, 0.62] : [0.32, 0.3, 0.26];
      }
      for (const d of DISCS) {
        const dist = Math.hypot(u - d.x, v - d.y);
        const a = 1 - smoothstep(d.r - 1.5 / size, d.r + 1.5 / size, dist);
        rgb = [rgb[0] + (d.rgb[0] - rgb[0]) * a, rgb[1] + (d.rgb[1] - rgb[1]) * a, rgb[2] + (d.rgb[2] - rgb[2]) * a];
      }
      // One-pixel white lines: a diagonal and a vertical.
      if (x === y || x === Math.round(width * 0.12)) rgb = [1, 1, 1];
      data[y * width + x] = rgb[0];
      data[plane + y * width + x] = rgb[1];
      data[2 * plane + y * width + x] = rgb[2];
    }
  }
  return { width, height, data, source: `bundled sample (${width}×${height}, drawn in code)` };
}

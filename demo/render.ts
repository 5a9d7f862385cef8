/**
 * Drawing stage outputs on canvases: planar RGB [1, 3, h, w] as an image, a gradient as a heat map
 * (summed over channels, magma-like colours), a [1, 3] descriptor as three bars and a swatch. Small
 * pyramid levels are shown at the input's display size with pixelated scaling, so a level's pixels
 * are visibly its windows.
 */

const MAGMA: readonly [number, number, number][] = [
  [0, 0, 4],
  [80, 18, 123],
  [182, 54, 121],
  [251, 136, 97],
  [252, 253, 191],
];

function magma(t: number): [number, number, number] {
  const x = Math.min(Math.max(t, 0), 1) * (MAGMA.length - 1);
  const i = Math.min(Math.floor(x), MAGMA.length - 2);
  const f = x - i;
  const a = MAGMA[i]!;
  const b = MAGMA[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

function canvasOf(width: number, height: number, displayWidth: number): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.style.width = `${displayWidth}px`;
  canvas.style.height = `${Math.round((displayWidth * height) / width)}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gave no 2D canvas context');
  return { canvas, ctx };
}

function plane(shape: readonly number[]): { channels: number; h: number; w: number } {
  const [, c, h, w] = shape as [number, number, number, number];
  return { channels: c, h, w };
}

export function rgbCanvas(values: Float32Array, shape: readonly number[], displayWidth: number): HTMLCanvasElement {
  const { h, w } = plane(shape);
  const { canvas, ctx } = canvasOf(w, h, displayWidth);
  const image = ctx.createImageData(w, h);
  const n = h * w;
  for (let i = 0; i < n; i++) {
    image.data[4 * i] = values[i]! * 255;
    image.data[4 * i + 1] = values[n + i]! * 255;
    image.data[4 * i + 2] = values[2 * n + i]! * 255;
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/** The channel sum per pixel, scaled to its maximum; returns the canvas and that maximum. */
export function heatCanvas(values: Float32Array, shape: readonly number[], displayWidth: number): { canvas: HTMLCanvasElement; max: number } {
  const { channels, h, w } = plane(shape);
  const { canvas, ctx } = canvasOf(w, h, displayWidth);
  const n = h * w;
  const total = new Float32Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += values[c * n + i]!;
    total[i] = s;
    if (s > max) max = s;
  }
  const image = ctx.createImageData(w, h);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = magma(max > 0 ? total[i]! / max : 0);
    image.data.set([r, g, b, 255], 4 * i);
  }
  ctx.putImageData(image, 0, 0);
  return { canvas, max };
}

/** A size×size window of every channel, at (top, left), clamped to the planes; values and shape [1, C, size, size]. */
export function crop(values: Float32Array, shape: readonly number[], size: number): { values: Float32Array; shape: number[]; top: number; left: number } {
  const { channels, h, w } = plane(shape);
  const ch = Math.min(size, h);
  const cw = Math.min(size, w);
  const top = Math.floor((h - ch) / 2);
  const left = Math.floor((w - cw) / 2);
  const out = new Float32Array(channels * ch * cw);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < ch; y++) out.set(values.subarray(c * h * w + (top + y) * w + left, c * h * w + (top + y) * w + left + cw), (c * ch + y) * cw);
  }
  return { values: out, shape: [1, channels, ch, cw], top, left };
}

export function descriptorCanvas(values: Float32Array, width: number): HTMLCanvasElement {
  const rows = ['R', 'G', 'B'];
  const rowHeight = 22;
  const { canvas, ctx } = canvasOf(width, rowHeight * rows.length, width);
  const swatch = rowHeight * rows.length;
  const barLeft = 18;
  const barWidth = width - barLeft - swatch - 52;
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  rows.forEach((name, c) => {
    const v = values[c]!;
    const y = c * rowHeight;
    ctx.fillStyle = '#5b6475';
    ctx.fillText(name, 2, y + rowHeight / 2);
    ctx.fillStyle = '#eceef2';
    ctx.fillRect(barLeft, y + 4, barWidth, rowHeight - 8);
    ctx.fillStyle = ['#d1383f', '#2f9e55', '#3b63d9'][c]!;
    ctx.fillRect(barLeft, y + 4, Math.max(0, Math.min(1, v)) * barWidth, rowHeight - 8);
    ctx.fillStyle = '#1d2330';
    ctx.fillText(v.toFixed(3), barLeft + barWidth + 6, y + rowHeight / 2);
  });
  const rgb = [0, 1, 2].map((c) => Math.round(Math.max(0, Math.min(1, values[c]!)) * 255));
  ctx.fillStyle = `rgb(${rgb.join(', ')})`;
  ctx.fillRect(width - swatch, 0, swatch, swatch);
  return canvas;
}

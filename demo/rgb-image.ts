/**
 * An image as the pipeline takes it: planar RGB floats in [0, 1], logical shape [1, 3, H, W] (NCHW),
 * from the sample, a dropped file or a picked one. Large pictures are scaled down so the longer
 * side is at most MAX_SIDE: the demo is about the pipeline, not about megapixels.
 */
export interface RgbImage {
  width: number;
  height: number;
  /** R plane, then G, then B; each row-major. */
  data: Float32Array;
  /** Where it came from, for the page. */
  source: string;
}

export const MAX_SIDE = 512;
/** The pyramid halves three times: at least 16 pixels a side keep every level at 2 or more. */
export const MIN_SIDE = 16;

export function shapeOf(image: RgbImage): [number, number, number, number] {
  return [1, 3, image.height, image.width];
}

export async function imageFromFile(file: Blob & { name?: string }): Promise<RgbImage> {
  const bitmap = await createImageBitmap(file);
  const original = `${bitmap.width}×${bitmap.height}`;
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(MIN_SIDE, Math.round(bitmap.width * scale));
  const height = Math.max(MIN_SIDE, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser gave no 2D canvas context');
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const plane = width * height;
  const data = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    data[i] = rgba[4 * i]! / 255;
    data[plane + i] = rgba[4 * i + 1]! / 255;
    data[2 * plane + i] = rgba[4 * i + 2]! / 255;
  }
  const scaled = scale < 1 ? `, scaled from ${original}` : '';
  return { width, height, data, source: `${file.name ?? 'dropped image'} (${width}×${height}${scaled})` };
}

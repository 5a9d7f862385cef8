/**
 * Reuses GPU buffers through free lists keyed by (usage, size class), as TF.js's buffer manager and
 * ORT's GPU data manager do. Reuse right after release is safe: every use is a queue operation
 * (writeBuffer, submit, copy), and the queue runs them in order. A buffer that may be invalid (made
 * in a call that raised a GPU error) or destroyed behind the pool's back is never pooled again.
 * Every buffer the pool destroys is forgotten by the device's submission cache first, so no cached
 * bind group naming it is used again.
 */
import { forgetBuffer } from './submission-cache.js';

/** Free buffers beyond this many bytes are destroyed instead of kept. */
const MAX_POOLED_BYTES = 256 * 1024 * 1024;

/** Size classes: 256-byte steps up to 4 KiB, then eighths of a power of two (at most 12.5 % waste). */
export function sizeClass(bytes: number): number {
  const n = Math.max(bytes, 4);
  if (n <= 4096) return Math.ceil(n / 256) * 256;
  const step = 2 ** (Math.floor(Math.log2(n)) - 3);
  return Math.ceil(n / step) * step;
}

export interface BufferPoolStats {
  liveBuffers: number;
  liveBytes: number;
  pooledBuffers: number;
  pooledBytes: number;
}

export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private readonly live = new Set<GPUBuffer>();
  /** Live buffers to destroy rather than pool on release. */
  private readonly distrusted = new WeakSet<GPUBuffer>();
  /** Buffers an op has taken as inputs but not yet submitted (it awaits its pipelines): pin counts. */
  private readonly pins = new Map<GPUBuffer, number>();
  /** Pinned buffers whose tensor was destroyed meanwhile: released at the last unpin. */
  private readonly releasedWhilePinned = new Set<GPUBuffer>();
  private pooledBytes = 0;
  private liveBytes = 0;

  constructor(private readonly device: GPUDevice) {}

  acquire(bytes: number, usage: GPUBufferUsageFlags, label: string): GPUBuffer {
    // The size class may round past the device's largest buffer; the callers checked `bytes` fits.
    const size = Math.max(Math.min(sizeClass(bytes), this.device.limits.maxBufferSize - (this.device.limits.maxBufferSize % 4)), bytes);
    const list = this.free.get(`${usage}:${size}`);
    let buffer = list?.pop();
    if (buffer) {
      this.pooledBytes -= size;
    } else {
      buffer = this.device.createBuffer({ label, size, usage });
    }
    this.live.add(buffer);
    this.liveBytes += size;
    return buffer;
  }

  /**
   * Keeps a live buffer from being pooled (and handed to another tensor) until unpin(), even if
   * its tensor is destroyed meanwhile: an op that awaits before its encode still reads its inputs.
   */
  pin(buffer: GPUBuffer): void {
    if (this.live.has(buffer)) this.pins.set(buffer, (this.pins.get(buffer) ?? 0) + 1);
  }

  unpin(buffer: GPUBuffer): void {
    const n = this.pins.get(buffer);
    if (n === undefined) return;
    if (n > 1) {
      this.pins.set(buffer, n - 1);
      return;
    }
    this.pins.delete(buffer);
    if (this.releasedWhilePinned.delete(buffer)) this.release(buffer);
  }

  release(buffer: GPUBuffer): void {
    if (this.pins.has(buffer)) {
      if (this.live.has(buffer)) this.releasedWhilePinned.add(buffer);
      return;
    }
    if (!this.live.delete(buffer)) return;
    this.liveBytes -= buffer.size;
    if (this.distrusted.has(buffer) || this.pooledBytes + buffer.size > MAX_POOLED_BYTES) {
      this.destroy(buffer);
      return;
    }
    const key = `${buffer.usage}:${buffer.size}`;
    let list = this.free.get(key);
    if (!list) this.free.set(key, (list = []));
    list.push(buffer);
    this.pooledBytes += buffer.size;
  }

  /** Destroys a live buffer now instead of pooling it: it came out of a call that failed. */
  discard(buffer: GPUBuffer): void {
    if (!this.live.delete(buffer)) return;
    this.liveBytes -= buffer.size;
    this.destroy(buffer);
  }

  /** Marks a live buffer as possibly invalid or destroyed: its release destroys it instead of pooling it. */
  distrust(buffer: GPUBuffer): void {
    if (!this.live.has(buffer)) return;
    this.distrusted.add(buffer);
    // Bind groups made with it may be as invalid as it is.
    forgetBuffer(this.device, buffer);
  }

  stats(): BufferPoolStats {
    let pooledBuffers = 0;
    for (const list of this.free.values()) pooledBuffers += list.length;
    return { liveBuffers: this.live.size, liveBytes: this.liveBytes, pooledBuffers, pooledBytes: this.pooledBytes };
  }

  /** Destroys every buffer, live or pooled: the context is going away. */
  destroyAll(): void {
    for (const list of this.free.values()) for (const b of list) this.destroy(b);
    for (const b of this.live) this.destroy(b);
    this.free.clear();
    this.live.clear();
    this.pins.clear();
    this.releasedWhilePinned.clear();
    this.pooledBytes = 0;
    this.liveBytes = 0;
  }

  private destroy(buffer: GPUBuffer): void {
    forgetBuffer(this.device, buffer);
    buffer.destroy();
  }
}

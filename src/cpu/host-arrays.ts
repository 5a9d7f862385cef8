/**
 * Output arrays of the SIMD kernels, reused: a fresh typed array costs its page faults on first
 * write (an 800 KB output: 0.21 ms to allocate and fill fresh, 0.015 ms reused, on the 2-core test
 * machine), which was a third of a 1×64×112×112 max pool through the public API. So when the CPU
 * backend destroys a tensor whose array came from here, the array's buffer waits here for the next
 * output of the same size (at most MAX_POOLED_BYTES in all, per process). Reused arrays hold old
 * values: only kernels that write every element take them. A buffer that leaves the CPU backend
 * (the WebGPU fallback takes its data) is disowned first, so it is never handed out twice.
 */

const MAX_POOLED_BYTES = 32 << 20;
/** Buffers larger than this are not kept (one-off huge outputs would pin the pool). */
const MAX_KEPT_BYTES = 16 << 20;
const MAX_PER_SIZE = 4;

/** Buffers this module made and that may come back. */
const ours = new WeakSet<ArrayBufferLike>();
const free = new Map<string, ArrayBufferLike[]>();
let pooledBytes = 0;

const keyOf = (bytes: number, shared: boolean) => `${shared ? 's' : 'a'}${bytes}`;

function takeBuffer(bytes: number, shared: boolean): ArrayBufferLike {
  const kept = free.get(keyOf(bytes, shared))?.pop();
  if (kept) {
    pooledBytes -= bytes;
    return kept;
  }
  const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  ours.add(buffer);
  return buffer;
}

/** A float32 array of n elements, perhaps reused (its contents are stale: write them all). */
export function takeFloat32(n: number, shared = false): Float32Array {
  return new Float32Array(takeBuffer(n * 4, shared));
}

/** An int32 array of n elements, perhaps reused (its contents are stale: write them all). */
export function takeInt32(n: number, shared = false): Int32Array {
  return new Int32Array(takeBuffer(n * 4, shared));
}

/** Hands an array back once nothing uses it (its tensor was destroyed, or it was scratch). */
export function giveBack(data: ArrayBufferView | null | undefined): void {
  if (!data) return;
  const buffer = data.buffer;
  const bytes = buffer.byteLength;
  if (!ours.has(buffer) || data.byteOffset !== 0 || data.byteLength !== bytes) return;
  if (bytes > MAX_KEPT_BYTES || pooledBytes + bytes > MAX_POOLED_BYTES) return;
  const key = keyOf(bytes, buffer instanceof ArrayBuffer ? false : true);
  const list = free.get(key) ?? [];
  if (list.length >= MAX_PER_SIZE || list.includes(buffer)) return;
  list.push(buffer);
  free.set(key, list);
  pooledBytes += bytes;
}

/** The array's buffer leaves the CPU backend (its new owner keeps it): never hand it out again. */
export function disown(data: ArrayBufferView | null | undefined): void {
  if (data) ours.delete(data.buffer);
}

/** Bytes waiting for reuse (tests). */
export function pooledHostBytes(): number {
  return pooledBytes;
}

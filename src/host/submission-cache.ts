/**
 * What a repeated call binds, kept per device (like the pipeline cache) so the hot path makes no
 * GPU object: uniform buffers by their packed bytes, and bind groups by (pipeline, each bound buffer
 * with its offset and size). Both are small LRUs, so memory stays bounded however many shapes and
 * buffers a page goes through.
 *
 * Why reuse is safe:
 * - a cached uniform is written once, when made, and never again: calls with the same bytes share
 *   it, calls whose bytes differ in any field get another;
 * - a bind group names buffers, not their contents: a pooled buffer handed to a new tensor is bound
 *   the same way as before, and a destroyed buffer is never handed out again. Whoever destroys a
 *   buffer the library made (buffer-pool.ts) calls forgetBuffer, which drops every bind group naming
 *   it; an application's buffer (fromGPUBuffer, TF.js's) is a new object when remade, so an old
 *   entry can no longer match, and the LRU lets it go;
 * - buffers are keyed by ids from a WeakMap, so the cache keeps no JS object alive beyond its own
 *   bounded entries;
 * - an evicted uniform is destroyed only at the next encodeSteps, after the submission that may
 *   still hold it in an unsubmitted encoder: every caller encodes and submits synchronously.
 * A call that fails hands its uniforms to forgetBuffers: whatever it made (a uniform or bind group
 * that may be invalid) is never reused.
 */
import { packUniform, uniformByteSize, type UniformStruct } from '../kernels/uniform-struct.js';
import { BufferUsage } from './gpu-flags.js';

/** Distinct uniforms kept per device (16–64 bytes each). */
export const UNIFORM_CAPACITY = 256;
/** Distinct bind groups kept per device. */
export const BIND_GROUP_CAPACITY = 512;

/** One storage binding: a buffer and, for a sub-range, its offset and size. */
export interface BoundBuffer {
  binding: number;
  buffer: GPUBuffer;
  offset?: number;
  size?: number;
}

/** The entries of a bind group: the uniform at binding 0, then the storage bindings. */
export function bindGroupEntries(uniform: GPUBuffer, bound: readonly BoundBuffer[]): GPUBindGroupEntry[] {
  const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: uniform } }];
  for (const b of bound) entries.push({ binding: b.binding, resource: b.size === undefined ? { buffer: b.buffer } : { buffer: b.buffer, offset: b.offset ?? 0, size: b.size } });
  return entries;
}

let nextId = 1;
const ids = new WeakMap<object, number>();

function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

/**
 * Keys are strings of 16-bit code units built in one native call: far cheaper on the hot path
 * than formatting numbers. Lone surrogates are fine in a Map key.
 */
function codesKey(codes: ArrayLike<number>): string {
  return String.fromCharCode.apply(null, codes as number[]);
}

/** Appends a non-negative integer below 2^53 as four 16-bit code units. */
function pushInteger(codes: number[], n: number): void {
  const high = Math.floor(n / 2 ** 32);
  codes.push(n & 0xffff, (n >>> 16) & 0xffff, high & 0xffff, (high >>> 16) & 0xffff);
}

interface BindGroupEntry {
  bindGroup: GPUBindGroup;
  bufferIds: number[];
}

export interface SubmissionCacheStats {
  uniforms: number;
  bindGroups: number;
}

export class SubmissionCache {
  /** Packed bytes → uniform buffer, least recently used first. */
  private readonly uniforms = new Map<string, GPUBuffer>();
  /** Uniform buffer id → its key in `uniforms`. */
  private readonly uniformKeys = new Map<number, string>();
  /** Evicted uniforms, destroyed at the next settle(): an encoder being filled may still name them. */
  private retired: GPUBuffer[] = [];
  private readonly bindGroups = new Map<string, BindGroupEntry>();
  /** Buffer id → keys of the bind groups naming it. */
  private readonly byBuffer = new Map<number, Set<string>>();

  constructor(private readonly device: GPUDevice) {}

  /** Destroys the uniforms evicted since the last call; called before encoding a new submission. */
  settle(): void {
    if (this.retired.length === 0) return;
    for (const b of this.retired) b.destroy();
    this.retired = [];
  }

  /** The uniform buffer holding `values` packed as `struct`, made and written on first use. */
  uniform(struct: UniformStruct, values: Readonly<Record<string, number>>, label: string): GPUBuffer {
    const bytes = packUniform(struct, values);
    const key = struct.name + codesKey(new Uint16Array(bytes));
    let buffer = this.uniforms.get(key);
    if (buffer) {
      // Most recently used last.
      this.uniforms.delete(key);
      this.uniforms.set(key, buffer);
      return buffer;
    }
    buffer = this.device.createBuffer({ label: `${label}.params`, size: uniformByteSize(struct), usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST });
    this.device.queue.writeBuffer(buffer, 0, bytes);
    this.uniforms.set(key, buffer);
    this.uniformKeys.set(idOf(buffer), key);
    if (this.uniforms.size > UNIFORM_CAPACITY) {
      const oldest = this.uniforms.values().next().value!;
      this.dropUniform(oldest);
      this.retired.push(oldest);
    }
    return buffer;
  }

  /** The bind group of `pipeline` binding `uniform` at 0 and `bound`, made on first use. */
  bindGroup(pipeline: GPUComputePipeline, label: string, uniform: GPUBuffer, bound: readonly BoundBuffer[]): GPUBindGroup {
    const bufferIds = [idOf(uniform)];
    const codes: number[] = [];
    pushInteger(codes, idOf(pipeline));
    pushInteger(codes, bufferIds[0]!);
    for (const b of bound) {
      const id = idOf(b.buffer);
      bufferIds.push(id);
      codes.push(b.binding);
      pushInteger(codes, id);
      // A flag, so that entries with and without a range can never spell the same key.
      if (b.offset === undefined && b.size === undefined) {
        codes.push(0);
      } else {
        codes.push(1);
        pushInteger(codes, b.offset ?? 0);
        pushInteger(codes, b.size ?? 0);
      }
    }
    const key = codesKey(codes);
    const hit = this.bindGroups.get(key);
    if (hit) {
      this.bindGroups.delete(key);
      this.bindGroups.set(key, hit);
      return hit.bindGroup;
    }
    const bindGroup = this.device.createBindGroup({ label, layout: pipeline.getBindGroupLayout(0), entries: bindGroupEntries(uniform, bound) });
    this.bindGroups.set(key, { bindGroup, bufferIds });
    for (const id of bufferIds) {
      let keys = this.byBuffer.get(id);
      if (!keys) this.byBuffer.set(id, (keys = new Set()));
      keys.add(key);
    }
    if (this.bindGroups.size > BIND_GROUP_CAPACITY) this.dropBindGroup(this.bindGroups.keys().next().value!);
    return bindGroup;
  }

  /**
   * `buffer` was or is about to be destroyed, or came out of a failed call: no bind group naming it
   * is used again, and if it is one of the cached uniforms it is dropped and destroyed.
   */
  forgetBuffer(buffer: GPUBuffer): void {
    const id = ids.get(buffer);
    if (id === undefined) return;
    const keys = this.byBuffer.get(id);
    if (keys) for (const key of [...keys]) this.dropBindGroup(key);
    if (this.uniformKeys.has(id)) {
      this.dropUniform(buffer);
      buffer.destroy();
    }
  }

  /** Destroys every cached uniform and drops every bind group: the device is gone or going. */
  clear(): void {
    this.settle();
    for (const b of this.uniforms.values()) b.destroy();
    this.uniforms.clear();
    this.uniformKeys.clear();
    this.bindGroups.clear();
    this.byBuffer.clear();
  }

  stats(): SubmissionCacheStats {
    return { uniforms: this.uniforms.size, bindGroups: this.bindGroups.size };
  }

  private dropUniform(buffer: GPUBuffer): void {
    const id = idOf(buffer);
    const key = this.uniformKeys.get(id);
    if (key !== undefined) this.uniforms.delete(key);
    this.uniformKeys.delete(id);
    const keys = this.byBuffer.get(id);
    if (keys) for (const k of [...keys]) this.dropBindGroup(k);
  }

  private dropBindGroup(key: string): void {
    const entry = this.bindGroups.get(key);
    if (!entry) return;
    this.bindGroups.delete(key);
    for (const id of entry.bufferIds) {
      const keys = this.byBuffer.get(id);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) this.byBuffer.delete(id);
    }
  }
}

const caches = new WeakMap<GPUDevice, SubmissionCache>();

/** The device's cache, made on first use. */
export function submissionCache(device: GPUDevice): SubmissionCache {
  let c = caches.get(device);
  if (!c) caches.set(device, (c = new SubmissionCache(device)));
  return c;
}

/** Forgets `buffer` in the device's cache, if it has one (see SubmissionCache.forgetBuffer). */
export function forgetBuffer(device: GPUDevice, buffer: GPUBuffer): void {
  caches.get(device)?.forgetBuffer(buffer);
}

/** Forgets every buffer of a failed call: what it made or reused is not reused again. */
export function forgetBuffers(device: GPUDevice, buffers: Iterable<GPUBuffer>): void {
  const c = caches.get(device);
  if (c) for (const b of buffers) c.forgetBuffer(b);
}

/** Destroys the device's cached uniforms and drops its bind groups: the device is lost or destroyed. */
export function forgetSubmissionCache(device: GPUDevice): void {
  caches.get(device)?.clear();
  caches.delete(device);
}

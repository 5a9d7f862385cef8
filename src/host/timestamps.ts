/**
 * Reading back a timestamp query set: the benchmark's per-run kernel times and the tuner's GPU
 * time of one alternative (src/host/webgpu-backend.ts) come from here. Each run wrote a begin and an
 * end timestamp (dispatch.ts's TimestampSink, at 2·run and 2·run + 1).
 */
import { BufferUsage, MapMode } from './gpu-flags.js';

/** Per-run durations in ms, or undefined when a run wrote no (or inconsistent) timestamps. */
export async function readDurations(device: GPUDevice, querySet: GPUQuerySet, runs: number): Promise<number[] | undefined> {
  const bytes = 16 * runs;
  const resolve = device.createBuffer({ label: 'timestamps', size: bytes, usage: BufferUsage.QUERY_RESOLVE | BufferUsage.COPY_SRC });
  const read = device.createBuffer({ label: 'timestamps.read', size: bytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder({ label: 'timestamps' });
    encoder.resolveQuerySet(querySet, 0, 2 * runs, resolve, 0);
    encoder.copyBufferToBuffer(resolve, 0, read, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(MapMode.READ);
    const stamps = new BigUint64Array(read.getMappedRange().slice(0));
    read.unmap();
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
      const begin = stamps[2 * i]!;
      const end = stamps[2 * i + 1]!;
      // Unwritten queries resolve to 0: the op ran no kernel pass (e.g. a CPU fallback).
      if (begin === 0n || end === 0n || end < begin) return undefined;
      out.push(Number(end - begin) / 1e6);
    }
    return out;
  } finally {
    resolve.destroy();
    read.destroy();
  }
}

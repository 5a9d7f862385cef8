// The CPU backend's threads in a browser (test/browser-threads.test.ts): in a cross-origin-isolated
// page, a context with threads starts Blob-URL workers on one shared WebAssembly memory; large
// windowed calls then run their blocks on them. Every output must equal a one-thread context's bit
// for bit. The page reports what it saw in data-result.
import { createPooling, type Tensor } from '../../../src/index.js';
import { threadPool } from '../../../src/cpu/threads.js';

function sameBits(a: Float32Array | Int32Array, b: Float32Array | Int32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Int32Array(a.buffer, a.byteOffset, a.length);
  const y = new Int32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

async function main(): Promise<void> {
  const one = await createPooling({ backend: 'cpu', threads: 1 });
  const many = await createPooling({ backend: 'cpu', threads: 2 });
  const result: Record<string, unknown> = { isolated: globalThis.crossOriginIsolated === true, threads: many.threads, oneThread: one.threads };
  // 1 × 64 × 224 × 224 floats: 12.8 MB, past the threaded minimum (8 MiB).
  const shape = [1, 64, 224, 224];
  const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => ((i * 7919) % 1009) - 504);
  for (const layout of ['NCHW', 'NHWC'] as const) {
    const a = one.tensor(data, shape, { layout });
    const b = many.tensor(data, shape, { layout });
    const window = { kernelSize: 3, stride: 2, padding: 1 };
    const read = (t: Tensor) => t.readFloat32();
    // The caller takes blocks too, and a worker the OS has not woken yet may get none of a call's:
    // the calls repeat (up to 10 times, as test/cpu-threads.test.ts does) until a worker ran one,
    // and every repetition must equal one thread's bits.
    const blocksBefore = threadPool()?.stats.workerBlocks ?? 0;
    let same = { max: true, indices: true, avg: true };
    let rounds = 0;
    let maxAt = 0;
    while (rounds < 10 && (rounds === 0 || (threadPool()?.stats.workerBlocks ?? 0) === blocksBefore)) {
      rounds++;
      const ma = await one.maxPool2d(a, { ...window, returnIndices: true });
      const mb = await many.maxPool2d(b, { ...window, returnIndices: true });
      const aa = await one.avgPool2d(a, window);
      const ab = await many.avgPool2d(b, window);
      same = {
        max: same.max && sameBits(await read(ma.output), await read(mb.output)),
        indices: same.indices && sameBits(await ma.indices.read(), await mb.indices.read()),
        avg: same.avg && sameBits(await read(aa), await read(ab)),
      };
      maxAt = (await read(mb.output))[12345]!;
      for (const t of [ma.output, ma.indices, mb.output, mb.indices, aa, ab]) t.destroy();
    }
    result[layout] = { workerBlocks: (threadPool()?.stats.workerBlocks ?? 0) - blocksBefore, rounds, ...same, maxAt };
    a.destroy();
    b.destroy();
  }
  one.destroy();
  many.destroy();
  document.querySelector('#result')!.textContent = JSON.stringify(result, null, 1);
  document.documentElement.dataset.result = JSON.stringify(result);
}

main().catch((e: Error) => {
  document.querySelector('#result')!.textContent = `Failed: ${e.message}`;
  document.documentElement.dataset.result = JSON.stringify({ failed: `${e.message}\n${e.stack ?? ''}` });
});

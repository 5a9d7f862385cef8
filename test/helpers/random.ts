/** Seeded randomness for reproducible test configurations (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

/** Values in [-1, 1) quantised to 1/64 so ties occur, as they do in real activations (ReLU zeros). */
export function randomData(rand: () => number, count: number, quantised = true): Float32Array {
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = quantised ? Math.round((rand() * 2 - 1) * 64) / 64 : rand() * 2 - 1;
  return data;
}

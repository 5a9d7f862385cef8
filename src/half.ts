/**
 * IEEE-754 binary16 on the host: rounding to the nearest half (ties to even, never truncation),
 * and widening back, exactly. Halves are carried as their 16-bit patterns (Uint16Array), which every
 * engine has; Float16Array is used at the API's edge where the engine has it. The GPU side does the
 * same conversions in integer arithmetic (shaders/half-convert.wgsl), so both round identically.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Rounds x / 2^k to an integer, ties to even; exact for the doubles this module passes. */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * The half nearest to a number (ties to even): ±0, subnormals, 65504, overflow to ±∞ (from 65520
 * up, the midpoint past the largest half), NaN as the quiet NaN 0x7e00.
 */
export function halfFromNumber(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24);
  let e = Math.floor(Math.log2(a));
  // log2 may be off by one next to a power of two.
  if (2 ** e > a) e -= 1;
  else if (2 ** (e + 1) <= a) e += 1;
  let q = roundHalfEven((a / 2 ** e - 1) * 1024);
  if (q === 1024) {
    q = 0;
    e += 1;
  }
  return sign | ((e + 15) << 10) | q;
}

/** The half nearest to the f32 with these bits; a NaN keeps its sign and the top 10 bits of its payload. */
export function halfFromFloat32Bits(bits: number): number {
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff && mantissa !== 0) {
    const payload = mantissa >>> 13;
    return ((bits >>> 16) & 0x8000) | 0x7c00 | (payload === 0 ? 0x200 : payload);
  }
  u32[0] = bits;
  return halfFromNumber(f32[0]!);
}

/** The value of a half, exactly (every half is a double, and an f32). NaN payloads are kept by halfToFloat32Bits. */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0x1f) return m === 0 ? sign * Infinity : NaN;
  if (e === 0) return sign * m * 2 ** -24;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** The f32 bits of a half: exact, NaN payloads shifted into the f32 payload's top bits. */
export function halfToFloat32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0x1f) return (sign | 0x7f800000 | (m << 13)) >>> 0;
  f32[0] = halfToNumber(h);
  return u32[0]!;
}

/** Halves → f32 values, exactly, NaN payloads kept. */
export function widenHalves(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < halves.length; i++) bits[i] = halfToFloat32Bits(halves[i]!);
  return out;
}

/** f32 values → the nearest halves (ties to even), NaN payloads kept. */
export function narrowToHalves(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = halfFromFloat32Bits(bits[i]!);
  return out;
}

/** The engine's Float16Array, where it has one. */
export function float16ArrayClass(): (new (buffer: ArrayBufferLike, byteOffset?: number, length?: number) => ArrayLike<number>) | undefined {
  return (globalThis as { Float16Array?: new (buffer: ArrayBufferLike, byteOffset?: number, length?: number) => ArrayLike<number> }).Float16Array;
}

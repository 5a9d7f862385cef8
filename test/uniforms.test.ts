/** The TS descriptions of the uniform structs must match the WGSL declarations field for field. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLANE_PARAMS } from '../src/kernels/plane-params.js';
import { POOL_PARAMS } from '../src/kernels/pool-params.js';
import { packUniform, uniformByteSize, type UniformStruct } from '../src/kernels/uniform-struct.js';

function wgslStructFields(file: string, name: string): [string, string][] {
  const source = readFileSync(new URL(`../shaders/${file}`, import.meta.url), 'utf8');
  const body = new RegExp(`struct\\s+${name}\\s*\\{([^}]*)\\}`).exec(source)?.[1];
  if (!body) throw new Error(`struct ${name} not found in ${file}`);
  return body
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f) => {
      const [field, type] = f.split(':').map((s) => s.trim());
      return [field!, type!];
    });
}

describe.each([
  ['pool-params.wgsl', POOL_PARAMS],
  ['plane-params.wgsl', PLANE_PARAMS],
] as [string, UniformStruct][])('%s', (file, struct) => {
  it(`declares ${struct.name} exactly as the host packs it`, () => {
    expect(wgslStructFields(file, struct.name)).toEqual(struct.fields.map(([n, t]) => [n, t]));
  });

  it('packs each field at offset 4·i, little-endian, in a 16-byte multiple', () => {
    const values = Object.fromEntries(struct.fields.map(([n], i) => [n, i + 1]));
    const bytes = packUniform(struct, values);
    expect(bytes.byteLength).toBe(uniformByteSize(struct));
    expect(bytes.byteLength % 16).toBe(0);
    const view = new DataView(bytes);
    struct.fields.forEach(([, type], i) => {
      const got = type === 'f32' ? view.getFloat32(4 * i, true) : type === 'i32' ? view.getInt32(4 * i, true) : view.getUint32(4 * i, true);
      expect(got).toBe(i + 1);
    });
  });
});

it('packs negative i32 values with their sign', () => {
  const bytes = packUniform(POOL_PARAMS, Object.fromEntries(POOL_PARAMS.fields.map(([n]) => [n, n === 'padTop' ? -3 : 0])) as never);
  const index = POOL_PARAMS.fields.findIndex(([n]) => n === 'padTop');
  expect(new DataView(bytes).getInt32(4 * index, true)).toBe(-3);
});

/**
 * The uniform structs are generated from their TS descriptions (uniformDeclaration), so shader and host
 * cannot drift; these tests check the generated WGSL and the packing agree field by field.
 */
import { describe, expect, it } from 'vitest';
import { ND_PARAMS, ndParamsSource } from '../src/kernels/nd-params.js';
import { PLANE_PARAMS, planeParamsSource } from '../src/kernels/plane-params.js';
import { POOL_PARAMS, poolParamsSource } from '../src/kernels/pool-params.js';
import { packUniform, uniformByteSize, type UniformStruct } from '../src/kernels/uniform-struct.js';

/** The fields of struct `name` as the shader source declares them. */
function declaredFields(source: string, name: string): [string, string][] {
  const body = new RegExp(`struct\\s+${name}\\s*\\{([^}]*)\\}`).exec(source)?.[1];
  if (!body) throw new Error(`struct ${name} not found`);
  return body
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f) => f.split(':').map((x) => x.trim()) as [string, string]);
}

describe.each([
  ['PoolParams', POOL_PARAMS, poolParamsSource],
  ['PlaneParams', PLANE_PARAMS, planeParamsSource],
  ['NdParams', ND_PARAMS, ndParamsSource],
] as [string, UniformStruct, string][])('%s', (name, struct, source) => {
  it(`the shader source declares ${name} once, exactly as the host packs it, at binding 0`, () => {
    expect(source.match(new RegExp(`struct\\s+${name}\\s*\\{`, "g"))).toHaveLength(1);
    expect(declaredFields(source, name)).toEqual(struct.fields.map(([n, t]) => [n, t]));
    expect(source).toContain(`@group(0) @binding(0) var<uniform> params: ${name};`);
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

/**
 * A WGSL uniform struct described as data, so one description drives the packing on the host and a
 * test can compare it field by field with the struct declared in the shader.
 */
export type ScalarType = 'u32' | 'i32' | 'f32';

export interface UniformStruct<Field extends string = string> {
  /** The struct's name in WGSL. */
  readonly name: string;
  readonly fields: readonly (readonly [Field, ScalarType])[];
}

/** Every field is a 4-byte scalar, so offsets are 4·i; uniform buffers round up to 16 bytes. */
export function uniformByteSize(struct: UniformStruct): number {
  return Math.ceil((struct.fields.length * 4) / 16) * 16;
}

export function packUniform<Field extends string>(struct: UniformStruct<Field>, values: Readonly<Record<Field, number>>): ArrayBuffer {
  const bytes = new ArrayBuffer(uniformByteSize(struct));
  const view = new DataView(bytes);
  struct.fields.forEach(([name, type], i) => {
    const v = values[name];
    if (type === 'f32') view.setFloat32(4 * i, v, true);
    else if (type === 'i32') view.setInt32(4 * i, v, true);
    else view.setUint32(4 * i, v, true);
  });
  return bytes;
}

/**
 * The WGSL declaration of a struct and the uniform binding 0 that holds it, generated from the same
 * description that packs it, so the shader and the host cannot drift apart.
 */
export function uniformDeclaration(struct: UniformStruct, variable = 'params'): string {
  const fields = struct.fields.map(([name, type]) => `  ${name}: ${type},`).join('\n');
  return `struct ${struct.name} {\n${fields}\n}\n\n@group(0) @binding(0) var<uniform> ${variable}: ${struct.name};\n`;
}

/**
 * WebGPU's usage and map-mode bits, from the spec. In Node the GPUBufferUsage / GPUMapMode globals
 * exist only after Dawn's binding is loaded, which is later than this library's modules load.
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
  QUERY_RESOLVE: 0x0200,
} as const;

export const MapMode = { READ: 0x0001 } as const;

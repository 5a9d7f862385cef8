/** The .wasm.ts source that scripts/build-wasm.mjs writes for one .wat text. */
export function wasmModuleSource(name: string, watText: string): Promise<string>;

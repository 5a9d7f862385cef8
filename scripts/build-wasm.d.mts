/** The module text of a fragment directory: its .wat files in name order inside one (module). */
export function moduleText(dir: string): string;
/** The .wasm.ts source that scripts/build-wasm.mjs writes for one module text. */
export function wasmModuleSource(name: string, watText: string): Promise<string>;

/** The most pages (64 KiB each) of the shared-memory variant's memory. */
export const SHARED_MAX_PAGES: number;

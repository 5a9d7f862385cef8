/**
 * Where tuning tables persist between runs: a store holds one small JSON text. Built in: memory,
 * the browser's localStorage, and a JSON file in Node.js. An application may pass any object with
 * the same two methods (IndexedDB, a server, a bundled asset).
 */
import { nodeFs } from '../host/node-fs.js';

export interface TuningStore {
  /** The stored table's JSON, or null when there is none yet. */
  get(): string | null | Promise<string | null>;
  set(json: string): void | Promise<void>;
}

/** A store in memory: shared by the contexts that are given the same object. */
export function memoryTuningStore(initial: string | null = null): TuningStore {
  let text = initial;
  return {
    get: () => text,
    set: (json) => {
      text = json;
    },
  };
}

/** The browser's localStorage under `key` (default 'webgpu-pooling-tuning'). */
export function localStorageTuningStore(key = 'webgpu-pooling-tuning'): TuningStore {
  const storage = () => (globalThis as { localStorage?: Storage }).localStorage;
  return {
    get: () => storage()?.getItem(key) ?? null,
    set: (json) => storage()?.setItem(key, json),
  };
}

/** A JSON file in Node.js (created on the first decision; a missing file is an empty table). */
export function fileTuningStore(path: string): TuningStore {
  return {
    get: async () => (await nodeFs()).readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e))),
    set: async (json) => (await nodeFs()).writeFile(path, json),
  };
}

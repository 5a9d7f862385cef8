/**
 * createPooling's `tuning` option, read once and checked: 'rules' (the default), 'measure', or an
 * object naming a store, a table to start from and a time budget (docs/tuning.md).
 */
import { invalid } from '../errors.js';
import { checkKnownKeys, checkOptionsObject } from '../params.js';
import type { TuningStore } from './store.js';
import type { TuningTable } from './table.js';
import type { TuningMode } from './tuner.js';

export interface TuningOptions {
  /** Default 'measure' (an object asks for tuning). */
  mode?: TuningMode;
  /** Where decisions persist: memoryTuningStore(), localStorageTuningStore(), fileTuningStore(path), or any { get, set }. */
  store?: TuningStore;
  /** A table to start from (pool.tuning.export() of an earlier run, shipped with the app), as an object or JSON. */
  table?: TuningTable | string;
  /** The most time measuring one key may take, ms (default 200; at least one timed run of each alternative). */
  budgetMs?: number;
}

export interface ResolvedTuning {
  mode: TuningMode;
  store?: TuningStore;
  table?: unknown;
  budgetMs?: number;
}

const MODES = ['rules', 'measure'];

export function resolveTuning(op: string, value: unknown): ResolvedTuning {
  if (value === undefined) return { mode: 'rules' };
  if (typeof value === 'string') {
    if (!MODES.includes(value)) invalid(op, 'tuning', value, "must be 'rules', 'measure' or an object { mode, store, table, budgetMs }");
    return { mode: value as TuningMode };
  }
  const o = checkOptionsObject(op, value, false);
  checkKnownKeys(op, o, ['mode', 'store', 'table', 'budgetMs']);
  const mode = o.mode === undefined ? 'measure' : o.mode;
  if (typeof mode !== 'string' || !MODES.includes(mode)) invalid(op, 'tuning.mode', mode, "must be 'rules' or 'measure'");
  const out: ResolvedTuning = { mode: mode as TuningMode };
  if (o.store !== undefined) {
    const s = o.store as Partial<TuningStore> | null;
    if (typeof s !== 'object' || s === null || typeof s.get !== 'function' || typeof s.set !== 'function') invalid(op, 'tuning.store', o.store, 'must be an object with get() and set(json)');
    out.store = s as TuningStore;
  }
  if (o.table !== undefined) {
    if (typeof o.table !== 'string' && (typeof o.table !== 'object' || o.table === null)) invalid(op, 'tuning.table', o.table, 'must be a tuning table (pool.tuning.export()) or its JSON');
    out.table = o.table;
  }
  if (o.budgetMs !== undefined) {
    if (typeof o.budgetMs !== 'number' || !Number.isFinite(o.budgetMs) || o.budgetMs < 0) invalid(op, 'tuning.budgetMs', o.budgetMs, 'must be a finite number of milliseconds, at least 0');
    out.budgetMs = o.budgetMs;
  }
  return out;
}

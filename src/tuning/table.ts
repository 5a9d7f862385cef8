/**
 * The tuning table: what the tuner measured, per adapter and per tuning key, as small JSON that an
 * application can store, export and ship (docs/tuning.md). A table of another format or version is
 * ignored with a warning, never an error: tuning only ever chooses between correct kernels.
 */

/** Bumped whenever the kernels, their names or the key change: an older table's choices may not hold. */
export const TUNING_TABLE_VERSION = 1;
export const TUNING_TABLE_FORMAT = 'webgpu-pooling-tuning';

/** One decision: the kernel that runs for a key, what the rules would have run, and the medians that chose it. */
export interface TuningEntry {
  readonly kernel: string;
  readonly rule: string;
  /** Median time of each alternative (ms); a failed alternative is absent. */
  readonly times: Readonly<Record<string, number>>;
  /** What measuring this key cost (ms, every run of every alternative). */
  readonly costMs: number;
}

export interface TuningTable {
  readonly format: typeof TUNING_TABLE_FORMAT;
  readonly version: number;
  /** Entries by adapter identity (src/tuning/key.ts), then by tuning key. */
  readonly adapters: Readonly<Record<string, Readonly<Record<string, TuningEntry>>>>;
}

export function emptyTable(): TuningTable {
  return { format: TUNING_TABLE_FORMAT, version: TUNING_TABLE_VERSION, adapters: {} };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isEntry(v: unknown): v is TuningEntry {
  if (!isRecord(v) || typeof v.kernel !== 'string' || typeof v.rule !== 'string' || typeof v.costMs !== 'number' || !isRecord(v.times)) return false;
  return Object.values(v.times).every((t) => typeof t === 'number' && Number.isFinite(t));
}

/**
 * A table read from a store or given by the application, checked: the entries it can use, or the
 * reason it cannot be used (an old version, another format, corrupt JSON), for the warning.
 */
export function readTable(source: unknown): { table: TuningTable } | { problem: string } {
  let value = source;
  if (typeof source === 'string') {
    try {
      value = JSON.parse(source);
    } catch (e) {
      return { problem: `not JSON (${(e as Error).message})` };
    }
  }
  if (!isRecord(value) || value.format !== TUNING_TABLE_FORMAT) return { problem: `not a ${TUNING_TABLE_FORMAT} table` };
  if (value.version !== TUNING_TABLE_VERSION) return { problem: `version ${String(value.version)}, this library reads version ${TUNING_TABLE_VERSION} (its kernels may have changed)` };
  if (!isRecord(value.adapters)) return { problem: 'no adapters object' };
  const adapters: Record<string, Record<string, TuningEntry>> = {};
  for (const [adapter, entries] of Object.entries(value.adapters)) {
    if (!isRecord(entries)) return { problem: `the entries of adapter ${JSON.stringify(adapter)} are not an object` };
    adapters[adapter] = {};
    for (const [key, entry] of Object.entries(entries)) {
      if (!isEntry(entry)) return { problem: `entry ${JSON.stringify(key)} is malformed` };
      adapters[adapter]![key] = { kernel: entry.kernel, rule: entry.rule, times: { ...entry.times }, costMs: entry.costMs };
    }
  }
  return { table: { format: TUNING_TABLE_FORMAT, version: TUNING_TABLE_VERSION, adapters } };
}

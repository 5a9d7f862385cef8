/**
 * The tuner (docs/tuning.md): on the first call of a tuning key it times every alternative the op
 * offers and keeps the fastest; later calls of the key look the choice up (a Map read, off the hot
 * path). Each alternative runs once untimed first (its pipelines compile then), then the
 * alternatives run in turn, a few rounds, until the rounds are done or the key's time budget is
 * spent; the median of each decides. An alternative that fails (validation, out of memory) is never
 * chosen. Choices persist in a store and can be exported as a table.
 */
import { emptyTable, readTable, TUNING_TABLE_FORMAT, TUNING_TABLE_VERSION, type TuningEntry, type TuningTable } from './table.js';
import type { TuningStore } from './store.js';

export type TuningMode = 'rules' | 'measure';

export interface TunerOptions {
  readonly mode: TuningMode;
  /** The adapter this context runs on (src/tuning/key.ts adapterIdentity): entries of another adapter are never used. */
  readonly adapter: string;
  readonly store?: TuningStore;
  /** A table the application ships (entries of this adapter are used; the rest is kept for export). */
  readonly table?: unknown;
  /** Once MIN_ROUNDS timed rounds are done, no new round starts past this much time on one key, ms (default 200). */
  readonly budgetMs?: number;
  /** Timed rounds per key at most (default 5). */
  readonly rounds?: number;
  /**
   * How much faster than the rules' pick another alternative must be to replace it (default 0.1:
   * 10 %): closer than that is within the noise of a few wall-clock runs, and the rules' pick was
   * measured with many more.
   */
  readonly margin?: number;
  /** Where problems with a table or store go (default console.warn). */
  readonly warn?: (message: string) => void;
  /** Milliseconds, monotonic (default performance.now): tests inject a fake clock. */
  readonly clock?: () => number;
}

/** One decision, as `pool.tuning.decisions()` lists it. */
export interface TuningDecision extends TuningEntry {
  readonly key: string;
  /** 'measured' here, or taken from the store or the given table. */
  readonly source: 'measured' | 'store' | 'table';
}

/** Thrown by a RunAlternative when measuring must stop (an input was destroyed): nothing is recorded. */
export class TuningAborted extends Error {
  constructor() {
    super('tuning aborted');
  }
}

/**
 * Runs one alternative once and resolves when its GPU work is done: with its GPU time in ms where
 * the device measured one (timestamps), else nothing, and the tuner times the run with its clock.
 */
export type RunAlternative = (name: string) => Promise<number | void | undefined>;

/** Timed rounds made before the budget may stop measuring: a median of fewer is one noisy run. */
const MIN_ROUNDS = 3;
/** Past this many budgets, no round starts after the first (an alternative slow on every run). */
const HARD_BUDGET_FACTOR = 5;
/** An alternative whose untimed first run took this many times the fastest one's is not timed further. */
const WARMUP_PRUNE = 4;
/** Nor one whose first timed run took this many times the fastest one's. */
const ROUND_PRUNE = 2;
/** Extra alternating rounds of the rules' pick and a challenger that beat it. */
const CONFIRM_ROUNDS = 4;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export class Tuner {
  readonly mode: TuningMode;
  private readonly adapter: string;
  private readonly store: TuningStore | undefined;
  private readonly budgetMs: number;
  private readonly rounds: number;
  private readonly margin: number;
  private readonly warn: (message: string) => void;
  private readonly clock: () => number;
  /** This adapter's decisions. */
  private readonly entries = new Map<string, TuningDecision>();
  /** Other adapters' entries, kept so that export() and the store do not lose them. */
  private others: Record<string, Record<string, TuningEntry>> = {};
  private readonly pending = new Map<string, Promise<string>>();
  /** Keys measured in this context (tests: a second context with the same store measures none). */
  measuredKeys = 0;

  constructor(options: TunerOptions) {
    this.mode = options.mode;
    this.adapter = options.adapter;
    this.store = options.store;
    this.budgetMs = options.budgetMs ?? 200;
    this.rounds = options.rounds ?? 5;
    this.margin = options.margin ?? 0.1;
    this.warn = options.warn ?? ((m) => console.warn(m));
    this.clock = options.clock ?? (() => performance.now());
    if (options.table !== undefined) this.absorb(options.table, 'table', 'the given tuning table');
  }

  /** Reads the store once (createPooling awaits it); a store that fails or holds a bad table is a warning. */
  async load(): Promise<void> {
    if (!this.store) return;
    let text: string | null;
    try {
      text = await this.store.get();
    } catch (e) {
      this.warn(`webgpu-pooling: the tuning store could not be read (${(e as Error).message}); measuring afresh`);
      return;
    }
    if (text !== null) this.absorb(text, 'store', 'the stored tuning table');
  }

  private absorb(source: unknown, from: 'store' | 'table', what: string): void {
    const read = readTable(source);
    if ('problem' in read) {
      this.warn(`webgpu-pooling: ${what} is ignored: ${read.problem}`);
      return;
    }
    for (const [adapter, entries] of Object.entries(read.table.adapters)) {
      if (adapter !== this.adapter) {
        this.others[adapter] = { ...this.others[adapter], ...entries };
        continue;
      }
      for (const [key, entry] of Object.entries(entries)) if (!this.entries.has(key)) this.entries.set(key, { ...entry, key, source: from });
    }
  }

  /**
   * The alternative to run for `key`: the rules' pick in 'rules' mode or with a single candidate; a
   * stored or measured choice otherwise (measured now when the key is new). `names` lists the
   * alternatives, the rules' pick among them.
   */
  async choose(key: string, rule: string, names: readonly string[], run: RunAlternative): Promise<string> {
    if (this.mode === 'rules' || names.length < 2) return rule;
    const known = this.known(key, names);
    if (known !== undefined) return known;
    let measuring = this.pending.get(key);
    if (!measuring) {
      measuring = this.measure(key, rule, names, run).finally(() => this.pending.delete(key));
      this.pending.set(key, measuring);
    }
    return measuring;
  }

  /** The decided alternative for `key` when there is one among `names` (a Map read: the hot path). */
  known(key: string, names: readonly string[]): string | undefined {
    const entry = this.entries.get(key);
    return entry && names.includes(entry.kernel) ? entry.kernel : undefined;
  }

  private async measure(key: string, rule: string, names: readonly string[], run: RunAlternative): Promise<string> {
    const start = this.clock();
    const samples = new Map<string, number[]>(names.map((n) => [n, []]));
    const failed = new Set<string>();
    /** Drops (as if failed, but keeping their times) the alternatives slower than `factor` × the fastest of `times`. */
    const dropped = new Set<string>();
    const prune = (times: Map<string, number>, factor: number) => {
      const best = Math.min(...times.values());
      for (const [name, t] of times) {
        if (t > factor * best && name !== rule) {
          failed.add(name);
          dropped.add(name);
        }
      }
    };
    const once = async (name: string): Promise<number | null> => {
      const t0 = this.clock();
      let gpuMs: number | void | undefined;
      try {
        gpuMs = await run(name);
      } catch (e) {
        if (e instanceof TuningAborted) throw e;
        failed.add(name);
        return null;
      }
      return typeof gpuMs === 'number' ? gpuMs : this.clock() - t0;
    };
    const first = new Map<string, number>();
    try {
      // The first run of each compiles its pipelines: not timed for the choice, but an alternative
      // that took several times the fastest one's first run is out (a gather 20× slower than the
      // scatter must not cost the key twenty scatter runs per round).
      for (const name of names) {
        const t = await once(name);
        if (t !== null) first.set(name, t);
      }
      prune(first, WARMUP_PRUNE);
      for (let round = 0; round < this.rounds; round++) {
        const spent = this.clock() - start;
        if (round >= MIN_ROUNDS && spent > this.budgetMs) break;
        if (round >= 1 && spent > HARD_BUDGET_FACTOR * this.budgetMs) break;
        for (const name of names) {
          if (failed.has(name)) continue;
          const t = await once(name);
          if (t !== null) samples.get(name)!.push(t);
        }
        if (round === 0) prune(new Map([...samples].filter(([n, ts]) => !failed.has(n) && ts.length > 0).map(([n, ts]) => [n, ts[0]!])), ROUND_PRUNE);
      }
    } catch (e) {
      if (e instanceof TuningAborted) return rule;
      throw e;
    }
    // A challenger that beats the rules' pick gets a second look: more rounds of the two alone,
    // alternating, so that one noisy round cannot overturn a rule measured with many more.
    const challenger = this.challenger(samples, failed, dropped, rule);
    if (challenger !== undefined) {
      try {
        for (let round = 0; round < CONFIRM_ROUNDS; round++) {
          for (const name of [rule, challenger]) {
            const t = await once(name);
            if (t !== null) samples.get(name)!.push(t);
          }
        }
      } catch (e) {
        if (e instanceof TuningAborted) return rule;
        throw e;
      }
    }
    const times: Record<string, number> = {};
    // A dropped alternative keeps the time that dropped it (its first run, when no timed one followed).
    for (const [name, ts] of samples) {
      if (failed.has(name) && !dropped.has(name)) continue;
      if (ts.length > 0) times[name] = median(ts);
      else if (dropped.has(name) && first.has(name)) times[name] = first.get(name)!;
    }
    const ranked = Object.entries(times).filter(([name]) => !dropped.has(name)).sort((a, b) => a[1] - b[1]);
    // Nothing ran: the rules' pick (its own failure surfaces on the real call). The fastest replaces
    // the rules' pick only when it is faster by more than the margin (or the rules' pick failed).
    const fastest = ranked[0];
    const ruleTime = times[rule];
    const kernel = !fastest ? rule : ruleTime !== undefined && fastest[1] * (1 + this.margin) >= ruleTime ? rule : fastest[0];
    const decision: TuningDecision = { key, kernel, rule, times, costMs: this.clock() - start, source: 'measured' };
    this.entries.set(key, decision);
    this.measuredKeys++;
    await this.save();
    return kernel;
  }

  /** The fastest alternative when it beats the rules' pick by more than the margin, else undefined. */
  private challenger(samples: Map<string, number[]>, failed: Set<string>, dropped: Set<string>, rule: string): string | undefined {
    const medians = [...samples].filter(([n, ts]) => !failed.has(n) && !dropped.has(n) && ts.length > 0).map(([n, ts]) => [n, median(ts)] as const);
    const ruleTime = medians.find(([n]) => n === rule)?.[1];
    const best = [...medians].sort((a, b) => a[1] - b[1])[0];
    if (!best || best[0] === rule || ruleTime === undefined) return undefined;
    return best[1] * (1 + this.margin) < ruleTime ? best[0] : undefined;
  }

  private async save(): Promise<void> {
    if (!this.store) return;
    try {
      await this.store.set(JSON.stringify(this.export()));
    } catch (e) {
      this.warn(`webgpu-pooling: the tuning store could not be written (${(e as Error).message})`);
    }
  }

  /** Every decision for this adapter, measured here or loaded. */
  decisions(): TuningDecision[] {
    return [...this.entries.values()].map((d) => ({ ...d, times: { ...d.times } }));
  }

  /** The table to store or ship: this adapter's decisions, and any other adapter's that were loaded. */
  export(): TuningTable {
    const mine: Record<string, TuningEntry> = {};
    for (const d of this.entries.values()) mine[d.key] = { kernel: d.kernel, rule: d.rule, times: { ...d.times }, costMs: d.costMs };
    const adapters = { ...this.others, ...(this.entries.size ? { [this.adapter]: mine } : {}) };
    return { ...emptyTable(), format: TUNING_TABLE_FORMAT, version: TUNING_TABLE_VERSION, adapters };
  }
}

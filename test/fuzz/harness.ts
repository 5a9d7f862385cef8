/**
 * The fuzz loop: random cases (test/fuzz/cases.ts) against every target context until the time is
 * up. A valid case must match the CPU reference on every target; an invalid one must be refused
 * with a PoolingError and nothing else. Each case has its own seed, printed with any failure, so
 * `npm run fuzz -- --case <seed>` replays it.
 */
import type { Pooling } from '../../src/index.js';
import { compare, describeCase, expected, isPoolingError, OPS, randomInvalidCase, randomValidCase, runCase, seededRandom, type OpName } from './cases.js';

export interface FuzzTarget {
  name: string;
  pool: Pooling;
  /** A context with a small binding limit: "too large to split" is then an allowed answer. */
  splitLimit?: number;
}

export interface FuzzOptions {
  targets: FuzzTarget[];
  /** A context none of the targets is: tensors from it must be refused. */
  foreign: Pooling;
  seconds: number;
  seed: number;
  /** Share of invalid cases (default 0.35). */
  invalidShare?: number;
  /** Replay only this case seed. */
  caseSeed?: number;
  /** Stops early after this many cases. */
  maxCases?: number;
  /** Draw only these ops (default: every op, with OP_WEIGHTS). A case seed replays with the same list. */
  ops?: readonly OpName[];
  log?: (line: string) => void;
}

export interface FuzzReport {
  seconds: number;
  seed: number;
  cases: number;
  /** Valid cases, and their (case, target) checks against the reference. */
  validCases: number;
  validChecked: number;
  /** Invalid cases, and their (case, target) calls refused with a PoolingError. */
  invalidCases: number;
  invalidRejected: number;
  /** Wrong numbers, or an invalid call that was accepted. */
  mismatches: number;
  /** Anything thrown that was not a PoolingError, or a PoolingError for a valid case. */
  crashes: number;
  /** Valid cases a small-limit target refused as too large to split (allowed, counted apart). */
  unsplittable: number;
  perOp: Record<string, number>;
  /** Valid cases per drawn feature: layout, data kind, padding form, backward form, empty windows... */
  drawn: Record<string, number>;
  failures: string[];
}

const MAX_FAILURES_KEPT = 20;

export function caseSeed(seed: number, i: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) >>> 0;
}

export async function fuzz(o: FuzzOptions): Promise<FuzzReport> {
  const r: FuzzReport = {
    seconds: 0,
    seed: o.seed,
    cases: 0,
    validCases: 0,
    validChecked: 0,
    invalidCases: 0,
    invalidRejected: 0,
    mismatches: 0,
    crashes: 0,
    unsplittable: 0,
    perOp: {},
    drawn: {},
    failures: [],
  };
  const fail = (line: string) => {
    if (r.failures.length < MAX_FAILURES_KEPT) r.failures.push(line);
    o.log?.(line);
  };
  const start = performance.now();
  const invalidShare = o.invalidShare ?? 0.35;
  const ops = o.ops ?? OPS;
  for (let i = 0; ; i++) {
    if (o.caseSeed === undefined && performance.now() - start >= o.seconds * 1000) break;
    if (o.maxCases !== undefined && i >= o.maxCases) break;
    if (o.caseSeed !== undefined && i > 0) break;
    const seed = o.caseSeed ?? caseSeed(o.seed, i);
    const rand = seededRandom(seed);
    r.cases++;
    if (rand() < invalidShare) {
      const c = randomInvalidCase(rand, ops);
      r.invalidCases++;
      if (c.tag) r.drawn[`invalid ${c.tag}`] = (r.drawn[`invalid ${c.tag}`] ?? 0) + 1;
      if (o.caseSeed !== undefined) o.log?.(`case ${seed}: invalid, ${c.what}`);
      for (const t of o.targets) {
        try {
          await c.call(t.pool, o.foreign);
          r.mismatches++;
          fail(`MISMATCH case ${seed} on ${t.name}: accepted an invalid call (${c.what})`);
        } catch (e) {
          if (isPoolingError(e) && c.option !== undefined && e.option !== c.option) {
            r.mismatches++;
            fail(`MISMATCH case ${seed} on ${t.name}: ${c.what}: the PoolingError names ${String(e.option)}, want ${c.option} (${e.message})`);
          } else if (isPoolingError(e)) r.invalidRejected++;
          else {
            r.crashes++;
            fail(`CRASH case ${seed} on ${t.name}: ${c.what} threw ${String(e)}`);
          }
        }
      }
      continue;
    }
    const c = randomValidCase(rand, ops);
    r.validCases++;
    r.perOp[c.op] = (r.perOp[c.op] ?? 0) + 1;
    for (const tag of [`layout ${c.layout}`, ...(c.tags ?? [])]) r.drawn[tag] = (r.drawn[tag] ?? 0) + 1;
    if (o.caseSeed !== undefined) o.log?.(`case ${seed}: ${describeCase(c)}`);
    let want: ReturnType<typeof expected>;
    try {
      want = expected(c);
    } catch (e) {
      r.crashes++;
      fail(`CRASH case ${seed} in the reference: ${describeCase(c)}: ${String(e)}`);
      continue;
    }
    for (const t of o.targets) {
      try {
        const diff = compare(await runCase(t.pool, c), want);
        if (diff) {
          r.mismatches++;
          fail(`MISMATCH case ${seed} on ${t.name}: ${describeCase(c)}: ${diff}`);
        } else r.validChecked++;
      } catch (e) {
        if (t.splitLimit !== undefined && isPoolingError(e) && /too large to split/.test(e.message)) r.unsplittable++;
        else {
          r.crashes++;
          fail(`CRASH case ${seed} on ${t.name}: ${describeCase(c)}: ${String(e)}`);
        }
      }
    }
  }
  r.seconds = (performance.now() - start) / 1000;
  return r;
}

export function formatReport(r: FuzzReport): string {
  const ops = Object.entries(r.perOp)
    .sort()
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  const drawn = Object.entries(r.drawn)
    .sort()
    .map(([tag, n]) => `${tag} ${n}`)
    .join(', ');
  return [
    `fuzz: ${r.cases} cases in ${r.seconds.toFixed(1)} s (seed ${r.seed})`,
    `  valid:   ${r.validCases} cases, ${r.validChecked} checks matched the reference (${ops})`,
    `  invalid: ${r.invalidCases} cases, ${r.invalidRejected} calls rejected with a PoolingError`,
    `  mismatches: ${r.mismatches}, crashes: ${r.crashes}, too large to split at the small limit: ${r.unsplittable}`,
    `  drawn:   ${drawn}`,
  ].join('\n');
}

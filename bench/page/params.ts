import type { DType } from '../../src/types.js';

/**
 * What the page's URL asks for: `?quick=1` (BENCHMARKS.md's quick mode), `?cases=a,b` (a subset of the
 * case ids; all by default), `?peers=0` (ours only, no TF.js columns) and `?dtypes=float32,float16`
 * (the value dtypes every case runs in; float32 only by default; unknown names are ignored), and
 * `?family=a,b` (the family cases, bench/family-cases.ts: all by default when no `cases` subset is
 * given, none with `family=0`).
 */
export interface PageParams {
  /** Value dtypes, in the runner's order; ['float32'] by default. */
  dtypes: DType[];
  quick: boolean;
  /** Case ids to run; undefined runs every case. */
  caseIds: string[] | undefined;
  peers: boolean;
  /** Family case ids; undefined runs all of them, [] none. */
  familyIds: string[] | undefined;
  /** `?tuning=1`: also run our ops on a context with tuning: 'measure' (rows 'ours-tuned'). */
  tuning: boolean;
}

const TRUE = new Set(['1', 'true', 'yes', '']);

function flag(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = query.get(name);
  return value === null ? fallback : TRUE.has(value.toLowerCase());
}

export function readPageParams(search: string): PageParams {
  const query = new URLSearchParams(search);
  const cases = query.get('cases');
  const caseIds = cases
    ?.split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  const named = (query.get('dtypes') ?? '')
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .map((d) => (d === 'f16' ? 'float16' : d === 'f32' ? 'float32' : d));
  const dtypes = (['float32', 'float16'] as const).filter((d) => named.includes(d));
  const family = query.get('family');
  const familyList = (family ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0 && id !== '0');
  const familyIds = family === null ? (caseIds ? [] : undefined) : family === '1' ? undefined : familyList;
  return {
    familyIds,
    dtypes: dtypes.length > 0 ? dtypes : ['float32'],
    quick: flag(query, 'quick', false),
    caseIds: caseIds && caseIds.length > 0 ? caseIds : undefined,
    peers: flag(query, 'peers', true),
    tuning: flag(query, 'tuning', false),
  };
}

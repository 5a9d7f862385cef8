/**
 * What the page's URL asks for: `?quick=1` (BENCH.md's quick mode), `?cases=a,b` (a subset of the
 * case ids; all by default) and `?peers=0` (ours only, no TF.js columns).
 */
export interface PageParams {
  quick: boolean;
  /** Case ids to run; undefined runs every case. */
  caseIds: string[] | undefined;
  peers: boolean;
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
  return {
    quick: flag(query, 'quick', false),
    caseIds: caseIds && caseIds.length > 0 ? caseIds : undefined,
    peers: flag(query, 'peers', true),
  };
}

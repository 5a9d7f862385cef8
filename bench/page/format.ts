/** Number formats of the table: a few significant digits, a dash where nothing was measured. */
export const DASH = '—';

export function fmtMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

export function fmtNumber(v: number | null | undefined, decimals = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return v.toFixed(decimals);
}

export function fmtErr(v: number | null | undefined): string {
  if (v === null || v === undefined) return DASH;
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  return v.toExponential(1);
}

/** How many times faster ours is than a peer: peer time / our time. */
export function fmtRatio(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return DASH;
  return v >= 10 ? `${v.toFixed(0)}×` : `${v.toFixed(2)}×`;
}


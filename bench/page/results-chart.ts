/**
 * The chart: median time per (case, op, pass, layout), one bar per implementation, on a log axis.
 * When a peer is wall-timed, our wall time of the same runs is drawn beside our kernel time so the
 * bars compare like with like.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LogarithmicScale, Title, Tooltip, type ChartDataset } from 'chart.js';
import type { Impl } from '../rows.js';
import { el } from './dom.js';
import { groupLabel, IMPL_LABEL, type ResultGroup } from './result-groups.js';

Chart.register(BarController, BarElement, CategoryScale, LogarithmicScale, Legend, Title, Tooltip);

const COLORS: Partial<Record<Impl | 'ours-wall', string>> = {
  ours: '#1f6feb',
  'ours-cpu': '#1f6feb',
  'ours-wall': '#8cb4f5',
  'tfjs-webgpu': '#e8743b',
  'ort-webgpu': '#7a4fc9',
  'ort-wasm': '#b38fe8',
  'cpu-reference': '#8a8a8a',
};

/** Labels 1, 2 and 5 of each decade of a log axis and leaves the other ticks blank; labelling all of them overlaps. */
function logTick(value: number | string): string {
  const v = Number(value);
  if (!(v > 0)) return '';
  const rounded = Number(v.toPrecision(1));
  if (Math.abs(rounded - v) > 1e-9 * v) return '';
  const lead = Number(rounded.toExponential().charAt(0));
  return lead === 1 || lead === 2 || lead === 5 ? String(rounded) : '';
}

type Bars = ChartDataset<'bar', (number | null)[]>;

function bars(label: string, color: string | undefined, data: (number | null)[]): Bars {
  return { label, data, backgroundColor: color ?? '#555', borderWidth: 0, barPercentage: 0.9, categoryPercentage: 0.8 };
}

const positive = (v: number | null | undefined): number | null => (v && Number.isFinite(v) && v > 0 ? v : null);

export function renderResultsChart(groups: readonly ResultGroup[], peers: readonly Impl[], oursImpl: Impl, title: string): HTMLElement {
  const oursLabel = oursImpl === 'ours' ? `${IMPL_LABEL[oursImpl]} — kernel` : IMPL_LABEL[oursImpl];
  const datasets: Bars[] = [bars(oursLabel, COLORS[oursImpl], groups.map((g) => positive(g.ours?.row.kernel_ms)))];
  const peersOnWall = peers.some((p) => groups.some((g) => g.byImpl.get(p)?.timing === 'wall'));
  const oursHasWall = groups.some((g) => g.ours?.timing === 'gpu-timestamp' && g.ours.wall_ms !== undefined);
  if (peersOnWall && oursHasWall) {
    datasets.push(bars(`${IMPL_LABEL[oursImpl]} — wall`, COLORS['ours-wall'], groups.map((g) => positive(g.ours?.wall_ms ?? g.ours?.row.kernel_ms))));
  }
  for (const p of peers) datasets.push(bars(IMPL_LABEL[p], COLORS[p], groups.map((g) => positive(g.byImpl.get(p)?.row.kernel_ms))));

  // A log axis starting at the smallest bar would draw that bar with no length.
  const smallest = Math.min(...datasets.flatMap((d) => d.data.filter((v): v is number => v !== null)));
  const axisMin = Number.isFinite(smallest) ? 10 ** Math.floor(Math.log10(smallest) - 0.3) : undefined;

  const canvas = el('canvas', { 'aria-label': title, role: 'img' });
  const perGroup = 6 + 7 * datasets.length;
  const box = el('div', { class: 'chart-box' }, canvas);
  box.style.height = `${Math.max(240, 90 + perGroup * groups.length)}px`;
  new Chart(canvas, {
    type: 'bar',
    data: { labels: groups.map(groupLabel), datasets },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: {
          type: 'logarithmic',
          ...(axisMin !== undefined ? { min: axisMin } : {}),
          title: { display: true, text: 'median time, ms (log scale; shorter is faster)' },
          ticks: { callback: logTick },
        },
        y: { ticks: { autoSkip: false, font: { size: 11 } } },
      },
      plugins: {
        title: { display: true, text: title },
        legend: { position: 'top' },
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${Number(ctx.parsed.x).toPrecision(3)} ms` } },
      },
    },
  });
  return box;
}

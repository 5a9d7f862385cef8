/**
 * The benchmark page: finds the adapter, then checks and times every case of bench/cases.ts through
 * the shared runner (bench/runner.ts), with TF.js WebGPU beside ours; shows progress, the verdict,
 * a chart and a table, and offers the rows as JSON lines. Scripts read `window.__poolingBench` and
 * `document.documentElement.dataset.state` (page-state.ts).
 */
import { createPooling, type Pooling } from '../../src/index.js';
import { LAYOUTS, selectCases, type BenchCase } from '../cases.js';
import { selectFamilyCases } from '../family-cases.js';
import { formatFamilyTable, runFamilyBench, type FamilyResult } from '../family.js';
import type { PeerSlot } from '../peers/peer.js';
import { copyJson, rowJson, type CopyMeasurement, type Measurement } from '../rows.js';
import { adapterName, runBench } from '../runner.js';
import { adapterLabel, probeWebGpu, renderAdapterPanel } from './adapter-panel.js';
import { CorrectnessSummary } from './correctness-summary.js';
import { byId, el } from './dom.js';
import { downloadButton } from './download.js';
import { fmtMs, fmtNumber } from './format.js';
import { disposePeers, pagePeers } from './page-peers.js';
import { setPageState, publishError, publishRows } from './page-state.js';
import { readPageParams, type PageParams } from './params.js';
import { copyBytes, pagePlans } from './plans.js';
import { ProgressView } from './progress-view.js';
import { formatTuningSummary } from '../tuning-summary.js';
import { groupRows, hasHalves, IMPL_LABEL, isOurs, peerImpls } from './result-groups.js';
import { renderResultsChart } from './results-chart.js';
import { HALF_LEGEND, renderResultsTable, TABLE_LEGEND } from './results-table.js';

function show(id: string, ...content: Node[]): HTMLElement {
  const section = byId(id);
  const heading = section.querySelector('h2');
  section.replaceChildren(...(heading ? [heading] : []), ...content);
  section.hidden = false;
  return section;
}

function cpuName(): string {
  return `CPU (${navigator.hardwareConcurrency || '?'} threads, ${navigator.platform || 'browser'})`;
}

function describeMode(params: PageParams, cases: readonly BenchCase[]): string {
  const mode = params.quick ? 'Quick mode: every batch is 1.' : 'Full mode: the shapes of BENCHMARKS.md.';
  const subset = params.caseIds ? ` Cases: ${cases.map((c) => c.id).join(', ')}.` : ` All ${cases.length} cases.`;
  const dtypes = params.dtypes.length > 1 || params.dtypes[0] !== 'float32' ? ` Dtypes: ${params.dtypes.join(', ')} (TF.js runs float32 only).` : '';
  return `${mode}${subset}${dtypes}`;
}

function renderTable(measurements: readonly Measurement[], oursImpl: 'ours' | 'ours-cpu'): void {
  const groups = groupRows(measurements);
  show('table-section', el('div', { class: 'table-wrap' }, renderResultsTable(groups, peerImpls(measurements), oursImpl)), el('p', { class: 'legend' }, hasHalves(groups) ? `${TABLE_LEGEND} ${HALF_LEGEND}` : TABLE_LEGEND));
}

function renderCopy(copy: CopyMeasurement | undefined): HTMLElement | null {
  if (!copy) return null;
  const size = `${(copy.bytes / 2 ** 20).toFixed(0)} MiB`;
  return el('p', { class: 'legend' }, `Copy ceiling: a ${size} vec4 buffer copy took ${fmtMs(copy.row.kernel_ms)} ms (${fmtNumber(copy.row.GBps)} GB/s, ${copy.timing}); % copy compares each op's bandwidth with it.`);
}

async function run(): Promise<void> {
  const params = readPageParams(location.search);
  const cases = selectCases({ quick: params.quick, ...(params.caseIds ? { ids: params.caseIds } : {}) });
  byId('mode').textContent = describeMode(params, cases);

  const whyNoGpu = await probeWebGpu();
  // The benchmark measures WebGPU on whatever adapter there is, software rasterisers included, which
  // 'auto' would pass over for the CPU backend; without any adapter it reports the CPU backend.
  const pool: Pooling = await createPooling({ backend: 'webgpu' }).catch(() => createPooling({ backend: 'cpu' }));
  const onGpu = pool.backend === 'webgpu';
  document.documentElement.dataset.backend = pool.backend;
  const adapter = onGpu ? adapterName(pool.adapterInfo) : cpuName();
  show('adapter-section', renderAdapterPanel(pool, whyNoGpu));

  const progress = new ProgressView();
  show('progress-section', progress.root);
  const summary = new CorrectnessSummary();
  show('summary-section', summary.root);

  let peers: PeerSlot[] = [];
  if (onGpu && params.peers) {
    progress.update(0, 1, 'Starting TF.js’s WebGPU backend…');
    peers = await pagePeers(adapter);
  }

  // ?tuning=1: a second context that measures the alternatives (docs/tuning.md), timed beside ours.
  const tuned = onGpu && params.tuning ? await createPooling({ backend: 'webgpu', tuning: 'measure' }) : undefined;
  setPageState('running');
  const oursImpl = onGpu ? 'ours' : 'ours-cpu';
  const plans = pagePlans(params.quick);
  const measurements: Measurement[] = [];
  let done = 0;
  let total = 1;
  let unit = '';
  progress.update(0, total, onGpu ? 'Timing the copy kernel (the bandwidth ceiling)…' : 'Running on the CPU backend…');
  try {
    const report = await runBench({
      cases,
      layouts: LAYOUTS,
      dtypes: params.dtypes,
      quick: params.quick,
      ...(onGpu ? { gpu: pool } : { cpu: pool }),
      ...(tuned ? { tuned } : {}),
      cpuReference: true,
      peers,
      gpuPlan: plans.gpu,
      peerPlan: plans.peer,
      cpuPlan: plans.cpu,
      cpuName: cpuName(),
      copyBytes: copyBytes(params.quick),
      onProgress: (p) => {
        done = p.done;
        total = p.total;
        unit = p.label;
        progress.update(done, total, p.label === 'done' ? 'Finishing…' : `Checking and timing ${unit}`);
      },
      onMeasurement: (m) => {
        measurements.push(m);
        const r = m.row;
        const verdict = m.timing === 'failed' ? 'failed' : r.ok ? '✓' : '✗';
        progress.update(done, total, `Checking and timing ${unit} · last: ${IMPL_LABEL[r.impl]} ${r.pass} ${r.layout} ${verdict}`);
        summary.update(measurements, false);
        renderTable(measurements, oursImpl);
      },
    });

    // The rest of the family (adaptive, LP, unpooling, fractional), each beside its yardstick.
    const familyCases = onGpu && params.familyIds?.length !== 0 ? selectFamilyCases(params.quick, params.familyIds) : [];
    let family: FamilyResult[] = [];
    if (familyCases.length > 0) {
      family = await runFamilyBench({
        cases: familyCases,
        layouts: LAYOUTS,
        gpu: pool,
        adapter,
        ...(report.copy ? { copyGBps: report.copy.row.GBps } : {}),
        plan: plans.gpu,
        rounds: 2,
        peers,
        peerPlan: plans.peer,
        onProgress: (p) => progress.update(p.done, p.total, p.label === 'done' ? 'Finishing…' : `Checking and timing ${p.label}`),
      });
      show('family-section', el('pre', { class: 'family' }, formatFamilyTable(family)));
    }
    const familyRows = family.flatMap((r) => [r.ours, r.baseline]);
    report.measurements.push(...familyRows);
    if (family.some((r) => !r.ours.row.ok)) report.ourFailures.push(...family.filter((r) => !r.ours.row.ok).map((r) => r.ours));
    if (tuned) show('tuning-section', el('pre', { class: 'tuning' }, formatTuningSummary(tuned).trim()));
    const lines = [...(report.copy ? [copyJson(report.copy.row)] : []), ...report.measurements.map((m) => rowJson(m.row))];
    publishRows(lines.map((line) => JSON.parse(line) as object));
    summary.update(report.measurements, true);
    summary.addAction(downloadButton(lines, adapterLabel(pool)));
    const copyNote = renderCopy(report.copy);
    if (copyNote) summary.addAction(copyNote);

    const groups = groupRows(report.measurements);
    const title = `Median time per case on ${adapterLabel(pool)}${params.quick ? ' (quick mode)' : ''}`;
    // On a GPU the chart compares GPU implementations; the CPU reference's times stay in the table.
    const chartPeers = peerImpls(report.measurements).filter((p) => !onGpu || p !== 'cpu-reference');
    show('chart-section', renderResultsChart(groups, chartPeers, oursImpl, title));
    renderTable(report.measurements, oursImpl);
    const oursCount = report.measurements.filter((m) => isOurs(m.row)).length;
    progress.finish(`Done: ${oursCount} of our results and ${report.measurements.length - oursCount} peer and reference results.`);
    setPageState('done');
  } finally {
    await disposePeers(peers);
    pool.destroy();
    tuned?.destroy();
  }
}

function fail(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  show('error-section', el('h2', {}, 'The benchmark stopped'), el('div', { class: 'error' }, message));
  byId('progress-section').querySelector('.progress')?.classList.add('failed');
  publishError(message);
}

window.addEventListener('error', (e) => fail(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => fail(e.reason));
run().catch(fail);

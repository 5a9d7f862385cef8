/**
 * The selection check (bench/selection-check.ts), the script a GPU session runs beside the
 * benchmark: on one quick case it must time every alternative of each rule, mark exactly the
 * alternative the library's rule picks, and say how often the rule picked the fastest, and how
 * often the library's tuner (tuning: 'measure') did on the same alternatives.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { chooseGlobalChunkKernel } from '../src/kernels/global-pool.js';

interface Row {
  case: string;
  op: string;
  layout: string;
  alternative: string;
  chosen: boolean;
  tuned: boolean;
  ms: number;
  wall_ms: number;
  timing: string;
  agrees: boolean;
  adapter: string;
}

it('times tree, subgroup and scan for the NCHW global ops of gpool_b8, marks the rule\'s pick, and finds their results equal (SwiftShader)', () => {
  execFileSync('node', ['scripts/build-bench.mjs'], { stdio: 'pipe' });
  const errFile = 'node_modules/.cache/selection-stderr.txt';
  const out = execFileSync('bash', ['-c', `node dist-bench/selection.mjs --quick --cases gpool_b8 --adapter swiftshader 2>${errFile}`], { encoding: 'utf8' });
  // The tuning report: the library's tuner on the same alternatives, against the careful timing.
  expect(readFileSync(errFile, 'utf8')).toMatch(/tuning \(the library's tuner, its own few rounds\) picked the fastest in \d+ of \d+, one within 5 % of it in \d+; measuring cost per comparison median \d+ ms/);
  const rows = out.trim().split('\n').map((line) => JSON.parse(line) as Row);
  for (const op of ['globalMaxPool forward', 'globalAvgPool forward']) {
    const mine = rows.filter((r) => r.op === op);
    expect(mine.map((r) => r.alternative).sort(), op).toEqual(['scan', 'subgroup', 'tree']);
    expect(mine.filter((r) => r.tuned), `${op}: exactly one tuned pick`).toHaveLength(1);
    expect(mine.filter((r) => r.chosen).map((r) => r.alternative), op).toEqual([chooseGlobalChunkKernel('NCHW', { subgroups: true, adapter: { vendor: '', architecture: 'swiftshader', device: '', description: '' } })]);
    for (const r of mine) {
      expect(r.case).toBe('gpool_b8');
      expect(r.timing).toBe('gpu-timestamp');
      expect(r.ms, `${op} ${r.alternative}`).toBeGreaterThan(0);
      expect(r.wall_ms).toBeGreaterThanOrEqual(r.ms * 0.5);
      expect(r.adapter).toMatch(/swiftshader/i);
      expect(r.agrees, `${op} ${r.alternative} gave the same results as the first alternative`).toBe(true);
    }
  }
});

/**
 * The selection check (bench/selection-check.ts), the script a GPU session runs beside the
 * benchmark: on one quick case it must time every alternative of each rule, mark exactly the
 * alternative the library's rule picks, and say how often the rule picked the fastest.
 */
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { chooseGlobalChunkKernel } from '../src/kernels/global-pool.js';

interface Row {
  case: string;
  op: string;
  layout: string;
  alternative: string;
  chosen: boolean;
  ms: number;
  wall_ms: number;
  timing: string;
  agrees: boolean;
  adapter: string;
}

it('times tree, subgroup and scan for the NCHW global ops of gpool_b8, marks the rule\'s pick, and finds their results equal (SwiftShader)', () => {
  execFileSync('node', ['scripts/build-bench.mjs'], { stdio: 'pipe' });
  const out = execFileSync('node', ['dist-bench/selection.mjs', '--quick', '--cases', 'gpool_b8', '--adapter', 'swiftshader'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const rows = out.trim().split('\n').map((line) => JSON.parse(line) as Row);
  for (const op of ['globalMaxPool forward', 'globalAvgPool forward']) {
    const mine = rows.filter((r) => r.op === op);
    expect(mine.map((r) => r.alternative).sort(), op).toEqual(['scan', 'subgroup', 'tree']);
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

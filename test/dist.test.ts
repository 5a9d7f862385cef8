/** `npm run build` yields a dist/ that a plain Node script imports and uses on both backends. */
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';

it('the built package works from a plain Node script on webgpu and cpu', () => {
  execFileSync('node', ['scripts/build.mjs'], { stdio: 'pipe' });
  const out = execFileSync('node', ['test/fixtures/use-dist.mjs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const results = JSON.parse(out.trim().split('\n').pop()!);
  for (const backend of ['webgpu', 'cpu']) {
    expect(results[backend].backend).toBe(backend);
    expect(results[backend].max).toEqual([5, 6, 8, 9]);
    expect(results[backend].indices).toEqual([4, 5, 7, 8]);
    expect(results[backend].avg).toEqual([3]);
    expect(results[backend].error).toMatch(/avgPool2d: invalid kernelSize = 0/);
  }
});

it('the built TF.js plug-in throws the same PoolingError class as the library', () => {
  execFileSync('node', ['scripts/build.mjs'], { stdio: 'pipe' });
  const out = execFileSync('node', ['test/fixtures/tfjs-dist.mjs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ result: 'PoolingError' });
});

/**
 * `npm run docs`: the API reference generated from the TSDoc comments (typedoc.json: warnings are
 * errors, so an exported type the reference cannot reach, or a broken {@link}, fails here).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('builds without warnings, covers the public API of both entry points and hides the internals', () => {
  const out = mkdtempSync(join(tmpdir(), 'pooling-api-docs-'));
  try {
    execFileSync('npx', ['typedoc', '--out', out], { encoding: 'utf8', stdio: 'pipe' });
    expect(readdirSync(join(out, 'functions')).sort()).toEqual(['index.createPooling.html', 'index.fileTuningStore.html', 'index.localStorageTuningStore.html', 'index.memoryTuningStore.html', 'tfjs.registerTfjsKernels.html']);
    const pooling = readFileSync(join(out, 'classes', 'index.Pooling.html'), 'utf8');
    for (const member of ['maxPool2d', 'avgPool3dBackward', 'adaptiveAvgPool2d', 'lpPool1d', 'maxUnpool3d', 'fractionalMaxPool2d', 'reason', 'backend', 'tuning']) expect(pooling, member).toContain(member);
    // The createPooling option text comes from its TSDoc.
    expect(readFileSync(join(out, 'interfaces', 'index.CreatePoolingOptions.html'), 'utf8')).toMatch(/software rasteriser/);
    const tensor = readFileSync(join(out, 'classes', 'index.Tensor.html'), 'utf8');
    expect(tensor).toContain('id="read"');
    // Members documented by anchor: the internals have none.
    expect(pooling).not.toContain('id="impl"');
    expect(tensor).not.toContain('id="storage"');
    expect(tensor).not.toContain('id="owner"');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 120_000);

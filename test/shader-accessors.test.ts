/**
 * The split offsets belong to the accessors (docs/architecture.md, "accessors"): a kernel indexes
 * whole tensors through load_* / store_* / add_* / raise_* / dx_*bound functions, and only those
 * subtract params.inOffset or params.outOffset, so a new element type or split rule changes the
 * accessors, not every kernel.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const ACCESSOR = /^(load|store|add|raise)_\w+$|^dx\w*_bound$/;

function wgslFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? wgslFiles(join(dir, e.name)) : e.name.endsWith('.wgsl') ? [join(dir, e.name)] : []));
}

it('no shader subtracts a split offset outside an accessor', () => {
  const offenders: string[] = [];
  let accessors = 0;
  for (const file of wgslFiles('shaders')) {
    let fn = '';
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const declared = /^fn (\w+)/.exec(line);
        if (declared) fn = declared[1]!;
        if (!/params\.(in|out)Offset/.test(line.replace(/\/\/.*$/, ''))) return;
        if (ACCESSOR.test(fn)) accessors++;
        else offenders.push(`${file}:${i + 1} (in ${fn || 'module scope'}): ${line.trim()}`);
      });
  }
  expect(offenders).toEqual([]);
  // The rule is not vacuous: the accessors themselves were found.
  expect(accessors).toBeGreaterThan(40);
});

/**
 * scripts/install-system-deps.sh runs before `npm test` and `npm run bench`: on a machine where
 * everything is installed it must never reach apt-get (it once did, in 6 of 30 runs, when
 * `ldconfig -p | grep -q` died of SIGPIPE under pipefail). A fake apt-get first on PATH records
 * any call.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('with chromium, libvulkan and EGL present, 30 runs never call apt-get', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fake-apt-'));
  const marker = join(dir, 'called');
  writeFileSync(join(dir, 'apt-get'), `#!/bin/sh\necho "$@" >> ${marker}\n`);
  chmodSync(join(dir, 'apt-get'), 0o755);
  // The machine running the suite has them: the script itself installed them before vitest started.
  expect(existsSync('/usr/bin/chromium')).toBe(true);
  for (let i = 0; i < 30; i++) execFileSync('bash', ['scripts/install-system-deps.sh'], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, stdio: 'pipe' });
  expect(existsSync(marker), 'apt-get was called').toBe(false);
});

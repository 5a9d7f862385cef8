// `npm run bench`: installs what is missing from the system (scripts/install-system-deps.sh),
// builds the benchmark bundle and runs it with the given options. --help and --version answer
// first, with nothing installed or built.
import { spawnSync } from 'node:child_process';
import { usage, VERSION } from '../bench/usage.mjs';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(usage());
  process.exit(0);
}
if (args.includes('--version')) {
  console.log(VERSION);
  process.exit(0);
}
const step = (command, list) => {
  const r = spawnSync(command, list, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
step('bash', ['scripts/install-system-deps.sh']);
step('node', ['scripts/build-bench.mjs']);
step('node', ['--liftoff-only', 'dist-bench/bench.mjs', ...args]);

/**
 * `npm run fuzz -- [--seconds N] [--seed S] [--case SEED] [--ops a,b] [--adapter KIND]`: the fuzz
 * harness against WebGPU (whole bindings, and split at 2 KiB and 64 KiB binding limits) and the CPU
 * backend. Prints the counts; exits 1 on any mismatch or crash, 2 on bad arguments.
 */
import { createPooling, type Pooling } from '../../src/index.js';
import type { NodeAdapterKind } from '../../src/host/node-gpu.js';
import { OPS, type OpName } from './cases.js';
import { formatReport, fuzz, type FuzzTarget } from './harness.js';

const ADAPTERS = ['auto', 'vulkan', 'swiftshader', 'opengles'];

const HELP = `npm run fuzz -- [options]

Random valid and invalid pooling calls (every op of the family: max/avg pooling 1-D, 2-D, 3-D and
their backward ops, global max/avg and their backward ops of rank 3-5, every layout) on WebGPU
(whole bindings, and split at 2 KiB and 64 KiB binding limits) and the CPU backend, against the f64
reference. Exits 0 when every check matched, 1 on a mismatch or crash, 2 on bad arguments.

  --seconds N     run for N seconds (default 60)
  --seed S        the run's seed (default: from the clock); the same seed draws the same cases
  --case SEED     replay one case by the seed a failure line printed (with the same --ops, if any)
  --ops a,b,...   draw only these ops (default: all, weighted toward the 2-D ops)
                  ${OPS.join(', ')}
  --adapter KIND  Dawn adapter: auto (default), swiftshader, vulkan, opengles (llvmpipe)
  --help          this text
`;

interface Args {
  seconds: number;
  seed: number;
  caseSeed?: number;
  ops?: OpName[];
  adapter: NodeAdapterKind;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { seconds: 60, seed: Date.now() % 2 ** 31, caseSeed: undefined, adapter: 'auto' };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (raw === '--help' || raw === '-h') {
      console.log(HELP);
      process.exit(0);
    }
    const [flag, value] = raw.includes('=') ? raw.split('=', 2) : [raw, argv[++i]];
    const n = Number(value);
    const ops = (value ?? '').split(',').filter(Boolean);
    if (flag === '--seconds' && n > 0) args.seconds = n;
    else if (flag === '--seed' && Number.isInteger(n)) args.seed = n;
    else if (flag === '--case' && Number.isInteger(n)) args.caseSeed = n;
    else if (flag === '--ops' && ops.length > 0 && ops.every((op) => (OPS as readonly string[]).includes(op))) args.ops = ops as OpName[];
    else if (flag === '--adapter' && ADAPTERS.includes(value ?? '')) args.adapter = value as NodeAdapterKind;
    else {
      console.error(`fuzz: unknown or bad argument ${flag} ${value ?? ''} (see --help)`);
      process.exit(2);
    }
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const targets: FuzzTarget[] = [];
const contexts: Pooling[] = [];
let uncaptured = 0;
try {
  const gpu = await createPooling({ backend: 'webgpu', nodeAdapter: args.adapter });
  const device = (gpu.impl as unknown as { device: GPUDevice }).device;
  device.addEventListener?.('uncapturederror', (e) => {
    uncaptured++;
    console.error(`uncaptured GPU error: ${(e as GPUUncapturedErrorEvent).error.message}`);
  });
  contexts.push(gpu);
  targets.push({ name: 'webgpu', pool: gpu });
  for (const limit of [2048, 65536]) {
    const split = await createPooling({ device, maxStorageBufferBindingSize: limit });
    contexts.push(split);
    targets.push({ name: `webgpu-split-${limit / 1024}k`, pool: split, splitLimit: limit });
  }
  console.log(`fuzz: WebGPU on ${gpu.adapterInfo?.description || gpu.adapterInfo?.vendor || 'an adapter'}`);
} catch (e) {
  console.log(`fuzz: no WebGPU adapter (${(e as Error).message.split('.')[0]}); fuzzing the CPU backend only`);
}
const cpu = await createPooling({ backend: 'cpu' });
const foreign = await createPooling({ backend: 'cpu' });
targets.push({ name: 'cpu', pool: cpu });
contexts.push(cpu, foreign);

console.log(`fuzz: targets ${targets.map((t) => t.name).join(', ')}; ${args.caseSeed !== undefined ? `case ${args.caseSeed}` : `${args.seconds} s, seed ${args.seed}`}${args.ops ? `; ops ${args.ops.join(', ')}` : ''}`);
const report = await fuzz({ targets, foreign, seconds: args.seconds, seed: args.caseSeed ?? args.seed, caseSeed: args.caseSeed, ops: args.ops, log: (line) => console.log(line) });
console.log(formatReport(report));
if (uncaptured) console.log(`  uncaptured GPU errors: ${uncaptured}`);
for (const c of contexts) c.destroy();
process.exit(report.mismatches + report.crashes + uncaptured > 0 ? 1 : 0);

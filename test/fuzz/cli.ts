/**
 * `npm run fuzz -- --seconds N [--seed S] [--case SEED] [--adapter auto|swiftshader|opengles|vulkan]`:
 * the fuzz harness against WebGPU (whole bindings, and split at 2 KiB and 64 KiB binding limits) and
 * the CPU backend. Prints the counts; exits 1 on any mismatch or crash, 2 on bad arguments.
 */
import { createPooling, type Pooling } from '../../src/index.js';
import type { NodeAdapterKind } from '../../src/host/node-gpu.js';
import { formatReport, fuzz, type FuzzTarget } from './harness.js';

function parseArgs(argv: string[]): { seconds: number; seed: number; caseSeed?: number; adapter: NodeAdapterKind } {
  const args = { seconds: 60, seed: Date.now() % 2 ** 31, caseSeed: undefined as number | undefined, adapter: 'auto' as NodeAdapterKind };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const [flag, value] = raw.includes('=') ? raw.split('=', 2) : [raw, argv[++i]];
    const n = Number(value);
    if (flag === '--seconds' && n > 0) args.seconds = n;
    else if (flag === '--seed' && Number.isInteger(n)) args.seed = n;
    else if (flag === '--case' && Number.isInteger(n)) args.caseSeed = n;
    else if (flag === '--adapter' && ['auto', 'vulkan', 'swiftshader', 'opengles'].includes(value ?? '')) args.adapter = value as NodeAdapterKind;
    else {
      console.error(`fuzz: unknown or bad argument ${flag} ${value ?? ''} (use --seconds N, --seed S, --case SEED, --adapter KIND)`);
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

console.log(`fuzz: targets ${targets.map((t) => t.name).join(', ')}; ${args.caseSeed !== undefined ? `case ${args.caseSeed}` : `${args.seconds} s, seed ${args.seed}`}`);
const report = await fuzz({ targets, foreign, seconds: args.seconds, seed: args.caseSeed ?? args.seed, caseSeed: args.caseSeed, log: (line) => console.log(line) });
console.log(formatReport(report));
if (uncaptured) console.log(`  uncaptured GPU errors: ${uncaptured}`);
for (const c of contexts) c.destroy();
process.exit(report.mismatches + report.crashes + uncaptured > 0 ? 1 : 0);

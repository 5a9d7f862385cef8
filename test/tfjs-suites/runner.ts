/**
 * Runs TF.js's own pooling unit tests (compiled, as @tensorflow/tfjs-core ships them in dist/ops)
 * with jasmine on TF.js's webgpu backend in Node, with or without this library's plug-in
 * registered, and prints one JSON line: every spec's full name, status and failure messages, and
 * the plug-in's per-kernel counts. Bundled and started by test/tfjs-suites.test.ts (a child
 * process: jasmine's globals must not meet vitest's). Arguments: the adapter kind ('swiftshader'
 * or 'opengles') and 'plugin' or 'tfjs'.
 */
import jasmineRequire from 'jasmine-core/lib/jasmine-core/jasmine.js';
import { installNavigatorGpu } from '../../bench/peers/node-navigator.js';
import { summarizeAdapterInfo } from '../../src/host/device.js';
import { findNodeAdapter, type NodeAdapterKind } from '../../src/host/node-gpu.js';
import { registerTfjsKernels, type TfjsPlugin } from '../../src/tfjs/index.js';

export interface SpecOutcome {
  name: string;
  status: string;
  failures: string[];
  /** Calls the plug-in handed to TF.js's own kernels during the spec, with the reasons. */
  delegations: string[];
}

export interface SuitesReport {
  adapter: string;
  plugin: boolean;
  specs: SpecOutcome[];
  counts: TfjsPlugin['counts'] | null;
}

/** TF.js's pooling suites: 2-D and 3-D max and average (forward and gradients), tf.pool, argmax. */
export const TFJS_POOLING_SUITES = ['max_pool_test', 'avg_pool_test', 'pool_test', 'max_pool_with_argmax_test', 'max_pool_3d_test', 'avg_pool_3d_test'] as const;

async function main(): Promise<void> {
  const [kind = 'swiftshader', mode = 'plugin'] = process.argv.slice(2) as [NodeAdapterKind | undefined, string | undefined];
  const found = await findNodeAdapter(kind);
  if (!found) throw new Error(`TF.js's suites need a WebGPU adapter (${kind}) and none was found (npm run setup:system)`);
  installNavigatorGpu(found.kind);

  // Jasmine's globals (describe, it, expect, ...) before any suite module is evaluated.
  const core = jasmineRequire.core(jasmineRequire);
  const env = core.getEnv();
  Object.assign(globalThis, jasmineRequire.interface(core, env));
  core.DEFAULT_TIMEOUT_INTERVAL = 120_000;
  env.configure({ random: false });

  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-webgpu');
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  // x.maxPool(...) and the other chained forms, which the suites use (tfjs-core's own test set-up imports it).
  await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js');
  const jasmineUtil = await import('@tensorflow/tfjs-core/dist/jasmine_util.js');
  // TF.js's own webgpu test environment (tfjs-backend-webgpu's backend_webgpu_test_registry).
  jasmineUtil.setTestEnvs([{ name: 'webgpu', backendName: 'webgpu', flags: { WEBGPU_CPU_FORWARD: false }, isDataSync: true }]);
  const plugin = mode === 'plugin' ? registerTfjsKernels(tf) : null;

  // Literal specifiers, so that the bundler includes each suite (evaluated here, after the set-up).
  await import('@tensorflow/tfjs-core/dist/ops/max_pool_test.js');
  await import('@tensorflow/tfjs-core/dist/ops/avg_pool_test.js');
  await import('@tensorflow/tfjs-core/dist/ops/pool_test.js');
  await import('@tensorflow/tfjs-core/dist/ops/max_pool_with_argmax_test.js');
  await import('@tensorflow/tfjs-core/dist/ops/max_pool_3d_test.js');
  await import('@tensorflow/tfjs-core/dist/ops/avg_pool_3d_test.js');

  const specs: SpecOutcome[] = [];
  // Per kernel, the hand-overs before the spec: those it adds are its own.
  let before: Record<string, number> = {};
  env.addReporter({
    specStarted() {
      before = Object.fromEntries(Object.entries(plugin?.counts ?? {}).map(([name, c]) => [name, c.delegated]));
    },
    specDone(r) {
      const delegations: string[] = [];
      for (const [name, c] of Object.entries(plugin?.counts ?? {})) if (c.delegated > (before[name] ?? 0)) delegations.push(`${name}: ${c.lastDelegation ?? ''}`);
      specs.push({ name: r.fullName, status: r.status, failures: r.failedExpectations.map((f) => f.message), delegations });
    },
  });
  await env.execute();
  const report: SuitesReport = { adapter: JSON.stringify(summarizeAdapterInfo(found.adapter.info)), plugin: plugin !== null, specs, counts: plugin ? JSON.parse(JSON.stringify(plugin.counts)) : null };
  plugin?.unregister();
  process.stdout.write(`TFJS_SUITES_REPORT ${JSON.stringify(report)}\n`);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

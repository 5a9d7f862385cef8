// Types of wgsl-raw-plugin.mjs, for the TypeScript that bundles with it (test/tfjs-suites.test.ts).
import type { Plugin } from 'esbuild';
export declare const wgslRawPlugin: Plugin;

// Node module hooks that load `*.wgsl?raw` imports as text, as Vite does, so that tsx can run
// scripts that import the library's source (bench/cpu-vs-xnnpack.ts): node --import this file.
import { register } from 'node:module';

register('./wgsl-loader.mjs', import.meta.url);

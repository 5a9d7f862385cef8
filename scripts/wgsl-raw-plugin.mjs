// esbuild plugin: `import source from './x.wgsl?raw'` yields the file's text, as Vite does.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

export const wgslRawPlugin = {
  name: 'wgsl-raw',
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({ path: resolve(args.resolveDir, args.path.replace(/\?raw$/, '')), namespace: 'wgsl-raw' }));
    build.onLoad({ filter: /.*/, namespace: 'wgsl-raw' }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'text' }));
  },
};

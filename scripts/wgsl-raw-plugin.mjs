// esbuild plugin: `import source from './x.wgsl?raw'` yields the file's text, as Vite does.
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';

export const wgslRawPlugin = {
  name: 'wgsl-raw',
  setup(build) {
    // Paths relative to the working directory: esbuild writes them into the bundle's comments and
    // source maps, where the build machine's absolute paths have no business.
    build.onResolve({ filter: /\?raw$/ }, (args) => ({ path: relative(process.cwd(), resolve(args.resolveDir, args.path.replace(/\?raw$/, ''))), namespace: 'wgsl-raw' }));
    build.onLoad({ filter: /.*/, namespace: 'wgsl-raw' }, async (args) => ({ contents: await readFile(resolve(process.cwd(), args.path), 'utf8'), loader: 'text' }));
  },
};

// The hooks registered by wgsl-hooks.mjs: `x.wgsl?raw` resolves to the file and loads as a module
// whose default export is the file's text.
import { readFile } from 'node:fs/promises';

const RAW = '.wgsl?raw';

export async function resolve(specifier, context, next) {
  if (!specifier.endsWith(RAW)) return next(specifier, context);
  const file = new URL(specifier.slice(0, -'?raw'.length), context.parentURL);
  return { url: `${file.href}?raw`, format: 'module', shortCircuit: true };
}

export async function load(url, context, next) {
  if (!url.endsWith(RAW)) return next(url, context);
  const text = await readFile(new URL(url.slice(0, -'?raw'.length)), 'utf8');
  return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
}

/**
 * Node's `fs/promises`, loaded on demand: a variable specifier and the bundlers' ignore comments
 * keep Vite and webpack from resolving the Node-only module in a browser build.
 */
export async function nodeFs(): Promise<typeof import('node:fs/promises')> {
  const specifier = 'node:fs/promises';
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as typeof import('node:fs/promises');
}

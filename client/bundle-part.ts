// Loads one of the extension's separately built bundles (dist/client/<name>.js, next to this
// one; scripts/build.mjs builds them). A path computed at run time: esbuild leaves the require
// alone instead of bundling the part into the bundle that loads it.
import { join } from 'node:path';

export function loadBundlePart<T>(name: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(__dirname, `${name}.js`)) as T;
}

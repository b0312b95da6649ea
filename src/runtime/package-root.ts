import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Refinery's own package folder: the repository root when run from source, the installed package's folder when
 * run from the build (dist/src/runtime/ sits one level deeper than src/runtime/, so a fixed `../../` would miss).
 * What Refinery ships and reads at run time resolves against it: package.json, configs/, agents/, fixtures/.
 */
export const PACKAGE_ROOT: string = nearestPackageJsonDir(dirname(fileURLToPath(import.meta.url)));

function nearestPackageJsonDir(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json at or above ${start}`);
  }
}

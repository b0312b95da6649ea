#!/usr/bin/env node
// `npm run build` (and `npm pack`, through prepack): dist/ from the TypeScript sources, ready to ship.
//   1. dist/ is removed, so a file moved or deleted in the sources leaves no stale module behind;
//   2. tsc -p tsconfig.build.json compiles src/, graphs/, agents/ and bin/refinery.ts with declarations, its
//      `./x.ts` imports rewritten to `./x.js`;
//   3. the non-TypeScript files under those folders that modules read next to themselves at run time (Python
//      programs such as src/execution/harness/run-tests.py) are copied beside their compiled module. Prompts
//      (agents/**/*.md) are not: configs name them relative to the package root, where the package ships them;
//   4. every `new URL('./file', import.meta.url)` in the compiled code must name a file that exists in dist/.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(ROOT, 'dist');
const SOURCE_DIRS = ['src', 'graphs', 'agents'];
const NOT_COPIED = new Set(['.ts', '.md']);

rmSync(DIST, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

let copied = 0;
for (const dir of SOURCE_DIRS)
  for (const file of filesUnder(join(ROOT, dir))) {
    if (NOT_COPIED.has(extname(file))) continue;
    const target = join(DIST, relative(ROOT, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
    copied += 1;
  }
chmodSync(join(DIST, 'bin/refinery.js'), 0o755);

const RUNTIME_URL = /new URL\(\s*['"](\.\.?\/[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g;
const missing = [];
for (const file of filesUnder(DIST)) {
  if (extname(file) !== '.js') continue;
  for (const [, reference] of readFileSync(file, 'utf8').matchAll(RUNTIME_URL))
    if (!existsSync(join(dirname(file), reference))) missing.push(`${relative(ROOT, file)}: ${reference}`);
}
if (missing.length > 0) {
  console.error(`build: compiled modules read files dist/ does not hold:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`build: dist/ compiled, ${copied} run-time file(s) copied beside their modules`);

function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

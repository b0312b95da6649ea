#!/usr/bin/env node
// `npm run build` (and `npm pack`, through prepack): dist/ from the TypeScript sources, ready to ship.
//   1. dist/ is removed, so a file moved or deleted in the sources leaves no stale module behind;
//   2. tsc -p tsconfig.build.json compiles src/, graphs/, agents/ and bin/refinery.ts with declarations, its
//      `./x.ts` imports rewritten to `./x.js`;
//   3. the non-TypeScript files under those folders that modules read next to themselves at run time (Python
//      programs such as src/execution/harness/run-tests.py) are copied beside their compiled module. Prompts
//      (agents/**/*.md) are not: configs name them relative to the package root, where the package ships them;
//   4. the CLI (dist/bin/refinery.js) is bundled with esbuild into dist/cli/: one file for what `refinery --help`
//      loads instead of some 400 modules (zod alone is 244 files), LangGraph in the chunks a run loads, the model
//      SDKs left external and loaded by a live model's first call; the files its modules read are copied beside it;
//   5. every `new URL('./file', import.meta.url)` in the compiled code must name a file that exists in dist/.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(ROOT, 'dist');
const SOURCE_DIRS = ['src', 'graphs', 'agents'];
const NOT_COPIED = new Set(['.ts', '.md']);
const RUNTIME_URL = /new URL\(\s*['"](\.\.?\/[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g;

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

const CLI = join(DIST, 'cli');
const { build } = await import('esbuild');
await build({
  // The context selection's helper thread (src/context/context-helper.ts) starts ./context-worker.js beside it, the
  // Mokav bench's (graphs/mokav/bench-helper-thread.ts) ./bench-helper-entry.js.
  entryPoints: {
    refinery: join(DIST, 'bin/refinery.js'),
    'context-worker': join(DIST, 'src/context/context-worker.js'),
    'bench-helper-entry': join(DIST, 'graphs/mokav/bench-helper-entry.js'),
  },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: CLI,
  logLevel: 'warning',
  // LangGraph and @langchain/core are bundled (in the chunks a run loads, not in what `--help` loads): as some 500
  // modules from node_modules they cost a replay ~0.3 s of CPU in module resolution and compilation alone. The
  // model SDKs stay external, loaded from node_modules by a live model's first call (src/models/providers/), and
  // so does better-sqlite3 (a native addon, loaded by the SQLite checkpointer).
  external: ['openai', '@anthropic-ai/sdk', 'better-sqlite3'],
  // Bundled CommonJS dependencies call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);",
  },
});
// Modules that read a file beside themselves (new URL('./x', import.meta.url)) now live in dist/cli/ chunks.
const compiledModules = [...filesUnder(DIST)].filter((file) => extname(file) === '.js' && !file.startsWith(CLI));
for (const chunk of filesUnder(CLI))
  for (const [, reference] of readFileSync(chunk, 'utf8').matchAll(RUNTIME_URL)) {
    const original = compiledModules.map((module) => join(dirname(module), reference)).find((file) => existsSync(file));
    if (!original) continue;
    mkdirSync(dirname(join(CLI, reference)), { recursive: true });
    copyFileSync(original, join(dirname(chunk), reference));
  }
chmodSync(join(CLI, 'refinery.js'), 0o755);

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
console.log(
  `build: dist/ compiled, ${copied} run-time file(s) copied beside their modules; the CLI bundled in dist/cli/`,
);

function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

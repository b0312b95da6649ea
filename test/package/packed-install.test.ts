import { execFile } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackModel } from '../support/loopback-model.ts';

/**
 * The package as a user gets it: `npm pack` (its prepack hook builds dist/), the tarball installed into an empty
 * folder, then plain `node` with no loader. The checkout is copied first (tracked and untracked files, not what
 * .gitignore names) so the build neither reads a stale dist/ nor writes the one in the working tree.
 */
const REPO_ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
/** No loader (tsx, vitest's) may leak into the processes that stand for the user's. */
const { NODE_OPTIONS: _loader, ...PLAIN_ENV } = process.env;

const REPLAY_SCRIPT = `
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRefinery } from 'refinery';
import { shippedPipelines } from 'refinery/pipelines';

const packageRoot = dirname(fileURLToPath(import.meta.resolve('refinery/package.json')));
const refinery = createRefinery({ pipelines: shippedPipelines });
const result = await refinery.run({
  replay: { trajectoryPath: 'fixtures/trajectories/refine-running-max.jsonl', exec: 'recorded', onDivergence: 'stop' },
  cwd: packageRoot,
  trajectoryPath: null,
});
console.log(JSON.stringify({
  pipelines: refinery.pipelines.names(),
  status: result.status,
  exitCode: result.exitCode,
  error: result.error?.message,
  resolved: ['refinery', 'refinery/pipelines', 'refinery/testing'].map((name) => fileURLToPath(import.meta.resolve(name))),
}));
`;

/** A library user's TypeScript, checked against the installed declarations (no `.ts` import extensions here). */
const CONSUMER_TS = `
import { createRefinery, type Refinery, type RunPipelineResult } from 'refinery';
import { shippedPipelines } from 'refinery/pipelines';

const refinery: Refinery = createRefinery({ pipelines: shippedPipelines });
const names: string[] = refinery.pipelines.names();
export async function replay(): Promise<RunPipelineResult> {
  return refinery.run({ replay: { trajectoryPath: 'x.jsonl', exec: 'recorded', onDivergence: 'stop' }, trajectoryPath: null });
}
// @ts-expect-error: exec is 'live' or 'recorded'
refinery.run({ replay: { trajectoryPath: 'x.jsonl', exec: 'sometimes', onDivergence: 'stop' } });
export { names };
`;

/** A module hook that lists every module the process loads (one URL a line) in the file MODULE_LOG names. */
const MODULE_LOG_HOOKS = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.MODULE_LOG, url + '\\n');
  return next(url, context);
}
`;
const MODULE_LOG_REGISTER =
  "import { register } from 'node:module'; register('./module-log-hooks.mjs', import.meta.url);";

let scratch = '';
let consumer = '';
let packedFiles: string[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'refinery-pack-'));
  const checkout = join(scratch, 'checkout');
  const { stdout: listed } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: REPO_ROOT,
    maxBuffer: 16 << 20,
  });
  for (const file of new Set(listed.split('\0').filter(Boolean))) {
    // a file deleted in the working tree but not yet committed is listed too
    if (!lstatSync(join(REPO_ROOT, file), { throwIfNoEntry: false })?.isFile()) continue;
    mkdirSync(dirname(join(checkout, file)), { recursive: true });
    copyFileSync(join(REPO_ROOT, file), join(checkout, file));
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');

  const { stdout: packed } = await run(
    'npm',
    ['pack', '--json', '--foreground-scripts=false', '--pack-destination', scratch],
    { cwd: checkout, env: PLAIN_ENV, maxBuffer: 16 << 20 },
  );
  const [pack] = JSON.parse(packed.slice(packed.indexOf('[\n'))) as { filename: string; files: { path: string }[] }[];
  packedFiles = pack!.files.map((f) => f.path);

  consumer = join(scratch, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // better-sqlite3 (the run checkpoints) has no prebuilt binary reachable here, so its install script compiles it
  // from source: about two minutes on 2 cores, already spent once by `npm ci` in this checkout. The consumer gets
  // the checkout's compiled addon instead (same version, same Node), the only install script that matters; every
  // other one is a native grammar build the package never loads (tree-sitter runs as WebAssembly).
  await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(scratch, pack!.filename)],
    { cwd: consumer, env: PLAIN_ENV },
  );
  const addon = join('node_modules', 'better-sqlite3');
  const version = (dir: string) => JSON.parse(readFileSync(join(dir, addon, 'package.json'), 'utf8')).version;
  expect(version(consumer), 'the consumer installs the better-sqlite3 the checkout compiled').toBe(version(REPO_ROOT));
  cpSync(join(REPO_ROOT, addon, 'build'), join(consumer, addon, 'build'), { recursive: true });
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the packed package, installed into an empty folder', () => {
  it('holds the build with declarations, the run-time Python beside its module, configs, prompts and the example fixtures; no sources or tests', () => {
    for (const file of [
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/graphs/index.js',
      'dist/src/testing/index.d.ts',
      'dist/cli/refinery.js',
      'dist/cli/run-tests.py',
      'dist/cli/python/batch-zygote.py',
      'bin/refinery.mjs',
      'dist/src/execution/harness/run-tests.py',
      'dist/src/execution/batch/python/batch-zygote.py',
      'dist/src/execution/mutation/mutate.py',
      'configs/refine.yaml',
      'agents/refine-planner/system.md',
      'fixtures/trajectories/refine-running-max.jsonl',
      'fixtures/repo/python-stats.bundle',
      'README.md',
    ])
      expect(packedFiles, file).toContain(file);
    // No TypeScript source: bin/refinery.mjs would run bin/refinery.ts through tsx, which the package does not bring.
    const unwanted = packedFiles.filter(
      (f) =>
        (f.endsWith('.ts') && !f.endsWith('.d.ts')) ||
        /^(src|graphs|test|bench|node_modules)\//.test(f) ||
        (f.startsWith('bin/') && f !== 'bin/refinery.mjs') ||
        (f.startsWith('agents/') && !f.endsWith('.md')),
    );
    expect(unwanted).toEqual([]);
  });

  it('plain node imports the public API and replays the shipped refine trajectory with recorded executions: passed', async () => {
    writeFileSync(join(consumer, 'replay.mjs'), REPLAY_SCRIPT);
    const { stdout } = await run(process.execPath, ['replay.mjs'], { cwd: consumer, env: PLAIN_ENV });
    const outcome = JSON.parse(stdout) as {
      pipelines: string[];
      status: string;
      exitCode: number;
      error?: string;
      resolved: string[];
    };
    expect(outcome).toMatchObject({ status: 'passed', exitCode: 0 });
    expect(outcome.pipelines).toEqual(expect.arrayContaining(['refine', 'codet', 'repo']));
    const installed = join(consumer, 'node_modules/refinery/');
    expect(outcome.resolved).toEqual([
      `${installed}dist/src/index.js`,
      `${installed}dist/graphs/index.js`,
      `${installed}dist/src/testing/index.js`,
    ]);
  });

  it('the run checkpoints open: better-sqlite3 loads in the consumer and answers a query', async () => {
    const probe =
      "import Database from 'better-sqlite3'; console.log(JSON.stringify(new Database(':memory:').prepare('select 1 as x').get()));";
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: consumer,
      env: PLAIN_ENV,
    });
    expect(JSON.parse(stdout)).toEqual({ x: 1 });
  });

  it('npx refinery context parses a repository with tree-sitter from the bundled CLI (its wasm found through the package)', async () => {
    const repo = join(scratch, 'context-repo');
    mkdirSync(repo);
    writeFileSync(join(repo, 'shapes.py'), 'def area(w, h):\n    return w * h\n');
    writeFileSync(join(repo, 'notes.py'), 'def unrelated():\n    return 0\n');
    await run('git', ['init', '-q'], { cwd: repo });
    await run('git', ['add', '.'], { cwd: repo });
    await run('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init'], { cwd: repo });
    const { stdout } = await run(
      'npx',
      ['--no', '--', 'refinery', 'context', '--repo', repo, '--task', 'area() of a rectangle is wrong', '--json'],
      { cwd: consumer, env: PLAIN_ENV },
    );
    const shown = JSON.parse(stdout) as { files: string[]; ranking: { path: string; symbols: string[] }[] };
    expect(shown.files[0]).toBe('shapes.py');
    expect(shown.ranking[0]?.symbols).toContain('area');
  });

  it('npx refinery --help exits 0 with the usage', async () => {
    // `--no`: never fetch from the registry; `--`: the flags after it are refinery's, not npx's.
    const { stdout } = await run('npx', ['--no', '--', 'refinery', '--help'], { cwd: consumer, env: PLAIN_ENV });
    expect(stdout).toMatch(/usage:? +refinery/i);
    for (const command of ['run', 'replay', 'validate']) expect(stdout).toMatch(new RegExp(`^ +${command}\\b`, 'm'));
  });

  it('npx refinery replays a shipped trajectory from the consumer folder, re-running its programs (the bundled CLI finds the harness and the prompts)', async () => {
    const trajectory = join(consumer, 'node_modules/refinery/fixtures/trajectories/refine-running-max.jsonl');
    const { stderr } = await run(
      'npx',
      ['--no', '--', 'refinery', 'replay', trajectory, '--quiet', '--trajectory', join(consumer, 'replayed.jsonl')],
      {
        cwd: consumer,
        env: PLAIN_ENV,
      },
    );
    expect(stderr).toContain('status: passed (exit 0)');
  });

  it('npx refinery replay with recorded executions loads no model SDK and no LangGraph from node_modules: the SDKs wait for a live call, LangGraph is in the bundle', async () => {
    writeFileSync(join(consumer, 'module-log-hooks.mjs'), MODULE_LOG_HOOKS);
    writeFileSync(join(consumer, 'module-log.mjs'), MODULE_LOG_REGISTER);
    const log = join(scratch, 'replay-modules.txt');
    const trajectory = join(consumer, 'node_modules/refinery/fixtures/trajectories/refine-running-max.jsonl');
    const { stderr } = await run(
      process.execPath,
      [
        '--import',
        './module-log.mjs',
        'node_modules/refinery/dist/cli/refinery.js',
        'replay',
        trajectory,
        '--exec',
        'recorded',
        '--quiet',
        '--trajectory',
        join(scratch, 'replayed-recorded.jsonl'),
      ],
      { cwd: consumer, env: { ...PLAIN_ENV, MODULE_LOG: log } },
    );
    expect(stderr).toContain('status: passed (exit 0)');
    const loaded = readFileSync(log, 'utf8').trim().split('\n');
    expect(loaded.filter((url) => url.includes('/dist/cli/')).length).toBeGreaterThan(0);
    expect(loaded.filter((url) => /\/node_modules\/(openai|@anthropic-ai|@langchain|langsmith)\//.test(url))).toEqual(
      [],
    );
  });

  it('npx refinery run against a loopback model: the bundled CLI loads the openai SDK for the first call and checkpoints the run with SQLite', async () => {
    const model = await startLoopbackModel();
    try {
      const packageRoot = join(consumer, 'node_modules/refinery');
      const { stderr } = await run(
        'npx',
        [
          '--no',
          '--',
          'refinery',
          'run',
          join(packageRoot, 'configs/refine.yaml'),
          '--task',
          join(packageRoot, 'fixtures/tasks/running-max.json'),
          '--set',
          `models.default.baseUrl=${model.baseUrl}`,
          '--quiet',
          '--trajectory',
          join(scratch, 'live.jsonl'),
        ],
        { cwd: consumer, env: { ...PLAIN_ENV, OPENAI_API_KEY: 'sk-loopback-0000' } },
      );
      expect(stderr).toContain('status: passed (exit 0)');
      expect(stderr).not.toContain('cannot be resumed');
      expect(model.answered.length).toBe(model.received());
      expect(model.answered.length).toBeGreaterThanOrEqual(3);
    } finally {
      await model.stop();
    }
  });

  it("a library user's TypeScript type-checks against the installed declarations", async () => {
    writeFileSync(join(consumer, 'consumer.ts'), CONSUMER_TS);
    const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const options = [
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--types',
      'node',
      '--typeRoots',
      join(REPO_ROOT, 'node_modules/@types'),
    ];
    const checked = await run(process.execPath, [tsc, ...options, 'consumer.ts'], {
      cwd: consumer,
      env: PLAIN_ENV,
    }).catch((error: { stdout: string }) => error);
    expect(checked.stdout).toBe('');
  });
});

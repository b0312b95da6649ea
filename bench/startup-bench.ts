/**
 * The fixed cost of the `refinery` command: its start-up (`refinery --help`) and a replay of the shipped 2-call
 * trajectory with recorded executions (`refinery replay fixtures/trajectories/refine-running-max.jsonl --exec
 * recorded`: start-up, module loading, a cold JIT and a small run), each started as a user starts it, measured in
 * the same process, round-robin, so all see the same machine load:
 *   - built:  node dist/cli/refinery.js (run `npm run build` first; `npm run bench:startup` does), what the
 *             installed package's bin, bin/refinery.mjs, imports once it has checked there is no source beside it;
 *   - source: node bin/refinery.mjs, this checkout's sources through tsx (no build);
 *   - built before: the built package at BUILT_BASELINE (before the issue-19 start-up work: the model SDKs imported
 *             with the modules, LangGraph outside the bundle, the whole trajectory read to name its pipeline),
 *             exported from git into a scratch folder and built there (about a minute). `--no-built-baseline` skips it;
 *   - before: node bin/refinery.mjs --help at BASELINE, the sources as they were when issue 14 was filed (issue 14
 *             measured that start: 0.66 s wall, 1.0 s CPU); --help only.
 * Variants whose commit git cannot export (a shallow clone) are skipped, saying so. Each command runs once to warm
 * caches (tsx's transform cache, the file system), then RUNS times. Printed: the medians of wall time and of CPU
 * time (user + system of the process and what it waited for, from /proc/self/stat; Linux only), what a replay
 * costs above `--help` in each, the ratios, and the work each command does, which load does not change: the modules
 * it loads (from the package, and from node_modules) and their source bytes, counted by a module hook in one more run.
 *
 *   npm run bench:startup
 *   node --import tsx bench/startup-bench.ts [--runs N] [--no-built-baseline]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * The sources when issue 14 measured `refinery --help` (0.66 s wall, 1.0 s CPU there): the landed state before
 * issues 13 and 14, started through tsx. (Between the two issues, e31c6ba loaded every pipeline for --help and
 * started slower still; it is not the baseline.)
 */
const BASELINE = 'ae0a2b4';
/** The last commit before the replay command's fixed cost was cut (issue 19, item 5), built as the package is. */
const BUILT_BASELINE = '326fe8c';
const ROOT = resolve(import.meta.dirname, '..');
const FIXTURE = 'fixtures/trajectories/refine-running-max.jsonl';
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'no-built-baseline': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
/** Clock ticks per second of /proc's CPU times: USER_HZ, 100 on every Linux architecture Node supports. */
const USER_HZ = 100;

const scratch = mkdtempSync(join(tmpdir(), 'refinery-startup-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

interface Variant {
  name: string;
  entry: string;
  cwd: string;
  commands: readonly CommandName[];
}
type CommandName = 'help' | 'replay';

const built: Variant = {
  name: 'built package: node dist/cli/refinery.js',
  entry: join(ROOT, 'dist/cli/refinery.js'),
  cwd: ROOT,
  commands: ['help', 'replay'],
};
if (!existsSync(built.entry)) {
  console.error('dist/cli/refinery.js is missing: run `npm run build` first (npm run bench:startup does)');
  process.exit(1);
}
const variants: Variant[] = [
  built,
  {
    name: 'source through tsx: node bin/refinery.mjs',
    entry: join(ROOT, 'bin/refinery.mjs'),
    cwd: ROOT,
    commands: ['help', 'replay'],
  },
];
if (!values['no-built-baseline']) {
  const builtBefore = exportCommit(BUILT_BASELINE);
  if ('error' in builtBefore) console.log(`(no built package at ${BUILT_BASELINE}: ${builtBefore.error})`);
  else {
    console.log(`building the package at ${BUILT_BASELINE} in a scratch folder (about a minute)...`);
    const build = spawnSync(process.execPath, ['bin/build-dist.mjs'], { cwd: builtBefore.dir, encoding: 'utf8' });
    if (build.status !== 0) console.log(`(no built package at ${BUILT_BASELINE}: its build failed: ${build.stderr})`);
    else
      variants.push({
        name: `built package before (${BUILT_BASELINE})`,
        entry: join(builtBefore.dir, 'dist/cli/refinery.js'),
        cwd: builtBefore.dir,
        commands: ['help', 'replay'],
      });
  }
}
const before = exportCommit(BASELINE);
if ('error' in before) console.log(`(no run at ${BASELINE}: ${before.error})`);
else
  variants.push({
    name: `source through tsx when issue 14 was filed (${BASELINE})`,
    entry: join(before.dir, 'bin/refinery.mjs'),
    cwd: before.dir,
    commands: ['help'],
  });

/** The sources at `commit` in a scratch folder (with this checkout's node_modules), or why not. */
function exportCommit(commit: string): { dir: string } | { error: string } {
  const dir = join(scratch, commit);
  try {
    const archive = execFileSync('git', ['archive', `--prefix=${commit}/`, commit], {
      cwd: ROOT,
      maxBuffer: 256 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    execFileSync('tar', ['-x', '-C', scratch], { input: archive });
  } catch (error) {
    return { error: `git archive ${commit} failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}` };
  }
  // The same installed packages (tsx, esbuild and the run-time dependencies) as this checkout.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir };
}

function argsOf(command: CommandName, run: string): string[] {
  return command === 'help'
    ? ['--help']
    : ['replay', FIXTURE, '--exec', 'recorded', '--quiet', '--trajectory', join(scratch, `replay-${run}.jsonl`)];
}

/** CPU seconds of the children this process has waited for, or null off Linux. */
function childrenCpuSeconds(): number | null {
  if (process.platform !== 'linux') return null;
  // Fields after the command name (which may hold spaces): state is field 3, cutime 16, cstime 17.
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / USER_HZ;
}

// No loader inherited from the environment: the built package runs on plain node.
const { NODE_OPTIONS: _loader, ...plainEnv } = process.env;

function runOnce(
  variant: Variant,
  command: CommandName,
  extra: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {},
): { wall: number; cpu: number | null } {
  const cpuBefore = childrenCpuSeconds();
  const start = performance.now();
  const child = spawnSync(
    process.execPath,
    [...(extra.nodeArgs ?? []), variant.entry, ...argsOf(command, variant.name.replace(/\W+/g, '-'))],
    { cwd: variant.cwd, env: { ...plainEnv, ...extra.env }, encoding: 'utf8' },
  );
  const wall = (performance.now() - start) / 1000;
  const cpuAfter = childrenCpuSeconds();
  const ok = command === 'help' ? /usage/i.test(child.stdout) : /status: passed \(exit 0\)/.test(child.stderr);
  if (child.status !== 0 || !ok)
    throw new Error(`${variant.name} ${command} exited ${child.status}: ${child.stderr || child.stdout}`);
  return { wall, cpu: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
}

/** A module hook that writes each module it loads (its URL and source bytes) to MODULE_LOG. */
const HOOKS = join(scratch, 'module-log-hooks.mjs');
writeFileSync(
  HOOKS,
  `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  const loaded = await next(url, context);
  const bytes = loaded.source == null ? 0 : typeof loaded.source === 'string' ? Buffer.byteLength(loaded.source) : loaded.source.byteLength;
  appendFileSync(process.env.MODULE_LOG, url + '\\t' + bytes + '\\n');
  return loaded;
}
`,
);
const REGISTER = join(scratch, 'module-log.mjs');
writeFileSync(REGISTER, `import { register } from 'node:module'; register(${JSON.stringify(`file://${HOOKS}`)});`);

interface ModuleCount {
  modules: number;
  fromNodeModules: number;
  bytes: number;
}
function countModules(variant: Variant, command: CommandName): ModuleCount {
  const log = join(scratch, `modules-${variants.indexOf(variant)}-${command}.txt`);
  runOnce(variant, command, { nodeArgs: ['--import', REGISTER], env: { MODULE_LOG: log } });
  const loaded = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([url]) => url?.startsWith('file:'));
  return {
    modules: loaded.length,
    fromNodeModules: loaded.filter(([url]) => url!.includes('/node_modules/')).length,
    bytes: loaded.reduce((sum, [, bytes]) => sum + Number(bytes), 0),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cells = variants.flatMap((variant) => variant.commands.map((command) => ({ variant, command })));
for (const { variant, command } of cells) runOnce(variant, command);
const samples = cells.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
for (let i = 0; i < RUNS; i += 1)
  cells.forEach(({ variant, command }, c) => {
    const { wall, cpu } = runOnce(variant, command);
    samples[c]!.wall.push(wall);
    if (cpu !== null) samples[c]!.cpu.push(cpu);
  });
const counts = cells.map(({ variant, command }) => countModules(variant, command));

const figure = (variant: Variant, command: CommandName) => {
  const c = cells.findIndex((cell) => cell.variant === variant && cell.command === command);
  if (c === -1) return undefined;
  const s = samples[c]!;
  return { wall: median(s.wall), cpu: s.cpu.length ? median(s.cpu) : null, count: counts[c]! };
};
const seconds = (x: number | null | undefined, digits = 2) => (x == null ? 'n/a' : `${x.toFixed(digits)} s`);

console.log(
  `\nrefinery start-up and the fixed cost of a replay, median of ${RUNS} runs after one warm-up (node ${process.version}, load average ${loadavg()[0]!.toFixed(2)})`,
);
console.log(`  help:   refinery --help`);
console.log(`  replay: refinery replay ${FIXTURE} --exec recorded (4 model calls, 3 executions, 33 events)`);
const width = Math.max(...variants.map((v) => v.name.length));
for (const variant of variants) {
  for (const command of variant.commands) {
    const f = figure(variant, command)!;
    console.log(
      `  ${variant.name.padEnd(width)}  ${command.padEnd(6)}  wall ${seconds(f.wall, 3)}   cpu ${seconds(f.cpu)}   ` +
        `${f.count.modules} modules (${f.count.fromNodeModules} from node_modules), ${(f.count.bytes / 1e6).toFixed(2)} MB of source`,
    );
  }
  const help = figure(variant, 'help');
  const replay = figure(variant, 'replay');
  if (help && replay)
    console.log(
      `  ${''.padEnd(width)}  replay above --help: wall ${seconds(replay.wall - help.wall, 3)}, cpu ${seconds(
        replay.cpu !== null && help.cpu !== null ? replay.cpu - help.cpu : null,
      )}`,
    );
}
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a == null || b == null || b === 0 ? 'n/a' : `${(a / b).toFixed(1)}x`;
for (const other of variants.slice(1))
  for (const command of other.commands) {
    const mine = figure(built, command);
    const theirs = figure(other, command);
    if (!mine || !theirs) continue;
    console.log(
      `  ${command}: built package vs ${other.name}: ${ratio(theirs.wall, mine.wall)} faster (wall), ${ratio(theirs.cpu, mine.cpu)} less CPU`,
    );
  }

/**
 * Start-up of `refinery --help`: the built package (plain node on dist/) against the source run through tsx,
 * measured in the same process, round-robin, so all see the same machine load:
 *   - built:  node dist/cli/refinery.js --help (run `npm run build` first; `npm run bench:startup` does), what the
 *             installed package's bin, bin/refinery.mjs, imports once it has checked there is no source beside it;
 *   - source: node bin/refinery.mjs --help, this checkout's sources through tsx (no build);
 *   - before: node bin/refinery.mjs --help at BASELINE, the sources as they were when the issue was filed
 *             (issue 14 measured that start: 0.66 s wall, 1.0 s CPU), exported from git into a scratch folder.
 *             Skipped, saying so, when git or that commit is not at hand (a shallow clone).
 * Each runs once to warm caches (tsx's transform cache, the file system), then RUNS times. Printed: the medians
 * of wall time and of CPU time (user + system of the process and what it waited for, from /proc/self/stat;
 * Linux only), and how many times faster the built package starts than each source run.
 *
 *   npm run bench:startup
 *   node --import tsx bench/startup-bench.ts [--runs N]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * The sources when issue 14 measured `refinery --help` (0.66 s wall, 1.0 s CPU there): the landed state before
 * issues 13 and 14, started through tsx. (Between the two issues, e31c6ba loaded every pipeline for --help and
 * started slower still; it is not the baseline.)
 */
const BASELINE = 'ae0a2b4';
const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
/** Clock ticks per second of /proc's CPU times: USER_HZ, 100 on every Linux architecture Node supports. */
const USER_HZ = 100;

interface Variant {
  name: string;
  entry: string;
  cwd: string;
}

const built: Variant = {
  name: 'built package: node dist/cli/refinery.js',
  entry: join(ROOT, 'dist/cli/refinery.js'),
  cwd: ROOT,
};
if (!existsSync(built.entry)) {
  console.error('dist/cli/refinery.js is missing: run `npm run build` first (npm run bench:startup does)');
  process.exit(1);
}
const variants: Variant[] = [
  built,
  { name: 'source through tsx: node bin/refinery.mjs', entry: join(ROOT, 'bin/refinery.mjs'), cwd: ROOT },
];
const before = exportBaseline();
if (typeof before === 'string') console.log(`(no run at ${BASELINE}: ${before})`);
else variants.push(before);

function exportBaseline(): Variant | string {
  const dir = mkdtempSync(join(tmpdir(), 'refinery-startup-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  try {
    const archive = execFileSync('git', ['archive', BASELINE], {
      cwd: ROOT,
      maxBuffer: 256 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
  } catch (error) {
    return `git archive ${BASELINE} failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  }
  // The same installed packages (tsx among them) as this checkout.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return {
    name: `source through tsx when the issue was filed (${BASELINE})`,
    entry: join(dir, 'bin/refinery.mjs'),
    cwd: dir,
  };
}

/** CPU seconds of the children this process has waited for, or null off Linux. */
function childrenCpuSeconds(): number | null {
  if (process.platform !== 'linux') return null;
  // Fields after the command name (which may hold spaces): state is field 3, cutime 16, cstime 17.
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / USER_HZ;
}

function runOnce(variant: Variant): { wall: number; cpu: number | null } {
  // No loader inherited from the environment: the built package runs on plain node.
  const { NODE_OPTIONS: _loader, ...env } = process.env;
  const cpuBefore = childrenCpuSeconds();
  const start = performance.now();
  const child = spawnSync(process.execPath, [variant.entry, '--help'], { cwd: variant.cwd, env, encoding: 'utf8' });
  const wall = (performance.now() - start) / 1000;
  const cpuAfter = childrenCpuSeconds();
  if (child.status !== 0 || !/usage/i.test(child.stdout)) {
    throw new Error(`${variant.name} --help exited ${child.status}: ${child.stderr || child.stdout}`);
  }
  return { wall, cpu: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const variant of variants) runOnce(variant);
const samples = variants.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
for (let i = 0; i < RUNS; i += 1)
  variants.forEach((variant, v) => {
    const { wall, cpu } = runOnce(variant);
    samples[v]!.wall.push(wall);
    if (cpu !== null) samples[v]!.cpu.push(cpu);
  });

const figures = samples.map((s) => ({ wall: median(s.wall), cpu: s.cpu.length ? median(s.cpu) : null }));
const width = Math.max(...variants.map((v) => v.name.length));
console.log(
  `refinery --help start-up, median of ${RUNS} runs after one warm-up (node ${process.version}, load average ${loadavg()[0]!.toFixed(2)})`,
);
variants.forEach((variant, v) => {
  const { wall, cpu } = figures[v]!;
  console.log(
    `  ${variant.name.padEnd(width)}   wall ${wall.toFixed(3)} s   cpu ${cpu === null ? 'n/a' : `${cpu.toFixed(2)} s`}`,
  );
});
const [builtFigures, ...sources] = figures;
sources.forEach((source, s) => {
  const cpu = builtFigures!.cpu && source.cpu ? `, ${(source.cpu / builtFigures!.cpu).toFixed(1)}x less CPU` : '';
  console.log(
    `  built vs ${variants[s + 1]!.name}: ${(source.wall / builtFigures!.wall).toFixed(1)}x faster (wall)${cpu}`,
  );
});

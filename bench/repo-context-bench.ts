/**
 * Repository context on real bug fixes (issue 18, items 5 and 6): for each commit of the localization set, the
 * parent commit checked out and the commit message as the task, the context `refinery context` selects (the
 * repo pipeline's own selection, src/context/select-context.ts, no pinned files, no test output) against plain
 * BM25 over the contents of source files with the pipeline's old size rules (whole files up to 24,000 bytes, best first, within
 * the same budget), measured in the same script. Printed per method: hit@context (a changed file is in the
 * context, whole or in part), context recall (share of the changed files in it), recall@k of the ranking for
 * k = 1, 3, 5, 10, "lines" (share of changed files whose changed lines, old side of the fix's diff, are all among
 * the lines shown: a stricter figure for files shown in part), files shown, and time per commit. Then speed on a
 * 2,000-file tree built from the bundles' history (several revisions side by side, committed in a scratch
 * repository), each figure the median of --runs runs (default 5), each run in a fresh process:
 *   - `selectContext` in process: cold (empty cache), cold on one thread (no helper thread), warm (the same task
 *     again: the selection is read back) and warm with a new task (index and tags cached, the request not);
 *   - the whole `refinery context --json` command, process start to exit, cold / warm / warm with a new task, from
 *     the build (node dist/cli/refinery.js: `npm run build` first) and from source (bin/refinery.mjs through tsx),
 *     wall and CPU (the process and its git children);
 *   - plain BM25 over the tree's source files, no cache, as the in-script baseline.
 *
 *   npm run bench:context
 *   node --import tsx bench/repo-context-bench.ts [--dataset DIR] [--budget CHARS] [--limit N] [--repo OWNER/NAME]
 *                                                [--speed-files N] [--no-speed] [--runs N] [--json FILE]
 *
 * Nothing is written outside a temporary directory, which is removed at the end.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { termCounts } from '../src/context/code-terms.ts';
import { LexicalIndex } from '../src/context/lexical-index.ts';
import { isCodePath } from '../src/context/path-roles.ts';
import { DEFAULT_CONTEXT_BUDGET, selectContext } from '../src/context/select-context.ts';
import { listTreeFiles, readTreeFile } from '../src/context/tree-files.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: '../shared/datasets/repo_localization' },
    budget: { type: 'string', default: String(DEFAULT_CONTEXT_BUDGET.fileChars) },
    limit: { type: 'string' },
    repo: { type: 'string' },
    'speed-files': { type: 'string', default: '2000' },
    'no-speed': { type: 'boolean', default: false },
    'no-accuracy': { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
    json: { type: 'string' },
  },
});
const DATASET = resolve(ROOT, values.dataset);
const BUDGET = Number(values.budget);
const OLD_MAX_FILE_BYTES = 24_000;

interface Commit {
  repo: string;
  commit: string;
  parent: string;
  query: string;
  gold_files: string[];
}

interface Measure {
  shown: string[];
  ranking: string[];
  ms: number;
  /** Line ranges shown per file (a whole file: all of it). */
  ranges?: Map<string, { start: number; end: number }[]>;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 }).toString();

/** BM25 over the contents of source files (by extension): all ranked, then whole files up to 24,000 bytes within the budget. */
async function bm25Baseline(dir: string, task: string): Promise<Measure> {
  const started = performance.now();
  const index = new LexicalIndex();
  const sizes = new Map<string, number>();
  for (const path of await listTreeFiles(dir)) {
    if (!isCodePath(path)) continue;
    const file = readTreeFile(dir, path);
    if (file.kind !== 'text') continue;
    index.add(path, termCounts(file.text));
    sizes.set(path, file.text.length);
  }
  const ranking = index.search(termCounts(task)).map((h) => h.id);
  const shown: string[] = [];
  let used = 0;
  for (const path of ranking) {
    const size = sizes.get(path) ?? 0;
    if (size > OLD_MAX_FILE_BYTES || used + size > BUDGET) continue;
    shown.push(path);
    used += size;
  }
  return { shown, ranking, ms: performance.now() - started };
}

async function ours(dir: string, task: string, cacheDir: string): Promise<Measure> {
  const started = performance.now();
  const selection = await selectContext(dir, { task, budget: { fileChars: BUDGET } }, { cacheDir });
  return {
    shown: selection.files.map((f) => f.path),
    ranking: selection.ranking.map((r) => r.path),
    ms: performance.now() - started,
    ranges: new Map(selection.files.map((f) => [f.path, f.ranges])),
  };
}

/** The lines of the parent the fix changed or inserted at, per gold file (old side of `git diff -U0`). */
function changedLines(clone: string, c: Commit): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const path of c.gold_files) {
    const diff = git(clone, 'diff', '-U0', c.parent, c.commit, '--', path);
    const lines: number[] = [];
    for (const m of diff.matchAll(/^@@ -(\d+)(?:,(\d+))? /gm)) {
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      if (count === 0) lines.push(Math.max(1, start));
      for (let l = start; l < start + count; l++) lines.push(l);
    }
    out.set(path, lines);
  }
  return out;
}

const KS = [1, 3, 5, 10] as const;
interface Scores {
  /** Share of the gold files whose changed lines are all in the lines shown of them. */
  lines: number[];
  hit: number[];
  recall: number[];
  at: Record<number, number[]>;
  ms: number[];
  shown: number[];
}
const emptyScores = (): Scores => ({
  lines: [],
  hit: [],
  recall: [],
  at: { 1: [], 3: [], 5: [], 10: [] },
  ms: [],
  shown: [],
});
function score(s: Scores, m: Measure, gold: string[], changed: Map<string, number[]>): void {
  const shown = new Set(m.shown);
  s.lines.push(
    gold.filter((g) => {
      if (!shown.has(g)) return false;
      const ranges = m.ranges?.get(g);
      if (!ranges) return true;
      return (changed.get(g) ?? []).every((l) => ranges.some((r) => l >= r.start && l <= r.end));
    }).length / gold.length,
  );
  const found = gold.filter((g) => shown.has(g)).length;
  s.hit.push(found > 0 ? 1 : 0);
  s.recall.push(found / gold.length);
  for (const k of KS) {
    const top = new Set(m.ranking.slice(0, k));
    s.at[k]!.push(gold.filter((g) => top.has(g)).length / gold.length);
  }
  s.ms.push(m.ms);
  s.shown.push(m.shown.length);
}
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : Number.NaN;
};
const f2 = (x: number) => x.toFixed(2);

const work = mkdtempSync(join(tmpdir(), 'refinery-context-bench-'));
const report: Record<string, unknown> = { budget: BUDGET, load: loadavg() };
try {
  if (!values['no-accuracy']) await accuracy();
  if (!values['no-speed']) speed();
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function accuracy(): Promise<void> {
  let commits = readFileSync(join(DATASET, 'commits_dev.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Commit);
  if (values.repo) commits = commits.filter((c) => c.repo === values.repo);
  if (values.limit) commits = commits.slice(0, Number(values.limit));
  const clones = new Map<string, string>();
  const methods = { context: emptyScores(), bm25: emptyScores() };
  const perRepo = new Map<string, { context: Scores; bm25: Scores }>();
  const cacheDir = join(work, 'tag-cache');
  const rows: unknown[] = [];
  console.log(`repository context on ${commits.length} commits of ${DATASET} (budget ${BUDGET} characters)`);
  for (const c of commits) {
    let clone = clones.get(c.repo);
    if (!clone) {
      clone = join(work, c.repo.replace('/', '+'));
      git(work, 'clone', '-q', '--no-checkout', join(DATASET, 'repos', `${c.repo.replace('/', '+')}.bundle`), clone);
      clones.set(c.repo, clone);
    }
    git(clone, 'checkout', '-q', '-f', '--detach', c.parent);
    const [mine, bm25] = [await ours(clone, c.query, cacheDir), await bm25Baseline(clone, c.query)];
    const changed = changedLines(clone, c);
    const repoScores = perRepo.get(c.repo) ?? { context: emptyScores(), bm25: emptyScores() };
    perRepo.set(c.repo, repoScores);
    for (const [m, target] of [
      [mine, [methods.context, repoScores.context]],
      [bm25, [methods.bm25, repoScores.bm25]],
    ] as const)
      for (const t of target) score(t, m, c.gold_files, changed);
    const rank = (m: Measure) => c.gold_files.map((g) => m.ranking.indexOf(g) + 1).join(',');
    console.log(
      `${c.repo.padEnd(22)} ${c.commit.slice(0, 10)} gold ${c.gold_files.length} | context ${mine.shown.filter((p) => c.gold_files.includes(p)).length}/${c.gold_files.length} of ${mine.shown.length} shown, rank ${rank(mine)} | bm25 ${bm25.shown.filter((p) => c.gold_files.includes(p)).length}/${c.gold_files.length}, rank ${rank(bm25)} | ${mine.ms.toFixed(0)} ms`,
    );
    rows.push({ commit: c.commit, gold: c.gold_files, shown: mine.shown, bm25Shown: bm25.shown });
  }
  const line = (name: string, s: Scores) =>
    `${name.padEnd(34)} ${f2(mean(s.hit)).padStart(6)} ${f2(mean(s.recall)).padStart(7)}   ${KS.map((k) => f2(mean(s.at[k]!))).join(' / ')}   ${f2(mean(s.lines)).padStart(6)}  ${mean(s.shown).toFixed(1).padStart(5)}  ${median(s.ms).toFixed(0).padStart(6)} ms`;
  console.log(
    `\n${'method'.padEnd(34)} ${'hit'.padStart(6)} ${'recall'.padStart(7)}   recall@1 / 3 / 5 / 10   lines  files  median time per commit`,
  );
  console.log(line('refinery context (this work)', methods.context));
  console.log(line('BM25 (source files, whole <= 24 kB)', methods.bm25));
  for (const [repo, s] of perRepo) {
    console.log(line(`  ${repo}: context`, s.context));
    console.log(line(`  ${repo}: BM25`, s.bm25));
  }
  console.log(
    `time: ${f2(mean(methods.context.ms) / mean(methods.bm25.ms))}x the BM25 baseline's mean time per commit (machine load ${loadavg()[0]!.toFixed(1)})`,
  );
  report.accuracy = {
    commits: commits.length,
    context: summarize(methods.context),
    bm25: summarize(methods.bm25),
    rows,
  };
}

function summarize(s: Scores) {
  return {
    hitAtContext: mean(s.hit),
    contextRecall: mean(s.recall),
    changedLinesShown: mean(s.lines),
    recallAt: Object.fromEntries(KS.map((k) => [k, mean(s.at[k]!)])),
    meanFilesShown: mean(s.shown),
    medianMs: median(s.ms),
    meanMs: mean(s.ms),
  };
}

/** A tree of `n` tracked files: revisions of the bundles' repositories side by side (oldest spread first). */
function buildSpeedTree(n: number): string {
  const tree = join(work, 'speed-tree');
  mkdirSync(tree, { recursive: true });
  const bundles = readdirSync(join(DATASET, 'repos')).filter((f) => f.endsWith('.bundle'));
  const sources = bundles.map((bundle) => {
    const clone = join(work, `speed-${bundle}`);
    git(work, 'clone', '-q', '--no-checkout', join(DATASET, 'repos', bundle), clone);
    const revs = git(clone, 'rev-list', '--first-parent', '--all').trim().split('\n');
    return { clone, revs, name: bundle.replace(/\.bundle$/, '') };
  });
  let count = 0;
  for (let step = 0; count < n && step < 64; step++) {
    for (const s of sources) {
      if (count >= n) break;
      const rev = s.revs[Math.floor((step * s.revs.length) / 64)]!;
      const dest = join(tree, `${s.name}-${step}`);
      mkdirSync(dest);
      const files = git(s.clone, 'ls-tree', '-r', '--name-only', rev)
        .trim()
        .split('\n')
        .slice(0, n - count);
      execFileSync('sh', ['-c', `git -C "${s.clone}" archive ${rev} -- "$@" | tar -x -C "${dest}"`, 'sh', ...files], {
        stdio: 'ignore',
      });
      count += files.length;
    }
  }
  git(tree, 'init', '-q');
  git(tree, 'add', '.');
  git(tree, '-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-qm', 'speed tree');
  return tree;
}

function speed(): void {
  const n = Number(values['speed-files']);
  const tree = buildSpeedTree(n);
  const tracked = git(tree, 'ls-files').trim().split('\n').length;
  const bytes = git(tree, 'ls-files', '-z')
    .split('\0')
    .filter((p) => p !== '')
    .reduce((sum, p) => sum + statSync(join(tree, p)).size, 0);
  const task =
    'Fix a crash when rendering a template whose filter raises an Undefined error inside a macro call; the attrs validators should keep working.';
  const cacheDir = join(work, 'speed-cache');
  /** Other tasks for "warm, a new task": the tree's index and tags cached, this request never seen. */
  const otherTasks = [
    'The attrs validators lose the instance when a converter runs first; keep the instance for them.',
    'Template inheritance: a block called inside a loop in a child template renders the parent block.',
    'Sandboxed environment lets a format string reach private attributes of an object.',
    'asdict recursion ignores retain_collection_types for nested frozen classes.',
    'The i18n extension breaks on pluralize with a trimmed block and a variable named count.',
    'Slots classes fail to pickle when a cached_property is defined on them.',
    'Undefined objects compare equal to each other in async templates.',
  ];
  let nextOther = 0;
  type InProcess = {
    ms: number;
    cpuMs: number;
    wall: number;
    parsed: number;
    cached: number;
    reused: boolean;
    threads: number;
  };
  const inProcess = (label: string, request: { task: string }, options: { helper?: boolean } = {}): InProcess => {
    const script = `import { selectContext } from ${JSON.stringify(join(ROOT, 'src/context/select-context.ts'))};
const t = performance.now();
const c = process.cpuUsage();
const s = await selectContext(${JSON.stringify(tree)}, ${JSON.stringify(request)}, { cacheDir: ${JSON.stringify(cacheDir)}, ...${JSON.stringify(options)} });
const u = process.cpuUsage(c);
console.log(JSON.stringify({ ms: performance.now() - t, cpuMs: (u.user + u.system) / 1000, files: s.files.length, ...s.stats }));`;
    const started = performance.now();
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const wall = performance.now() - started;
    if (out.status !== 0) throw new Error(`${label}: ${out.stderr}`);
    return { ...(JSON.parse(out.stdout.trim().split('\n').pop()!) as Omit<InProcess, 'wall'>), wall };
  };
  /** The in-script baseline: plain BM25 over every source file of the tree (read, tokenized, ranked), no cache. */
  const bm25 = () => {
    const script = `import { termCounts } from ${JSON.stringify(join(ROOT, 'src/context/code-terms.ts'))};
import { LexicalIndex } from ${JSON.stringify(join(ROOT, 'src/context/lexical-index.ts'))};
import { isCodePath } from ${JSON.stringify(join(ROOT, 'src/context/path-roles.ts'))};
import { listTreeFiles, readTreeFile } from ${JSON.stringify(join(ROOT, 'src/context/tree-files.ts'))};
const t = performance.now();
const c = process.cpuUsage();
const index = new LexicalIndex();
for (const path of await listTreeFiles(${JSON.stringify(tree)})) {
  if (!isCodePath(path)) continue;
  const file = readTreeFile(${JSON.stringify(tree)}, path);
  if (file.kind === 'text') index.add(path, termCounts(file.text));
}
const hits = index.search(termCounts(${JSON.stringify(task)}));
const u = process.cpuUsage(c);
console.log(JSON.stringify({ ms: performance.now() - t, cpuMs: (u.user + u.system) / 1000, hits: hits.length }));`;
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (out.status !== 0) throw new Error(`bm25: ${out.stderr}`);
    return JSON.parse(out.stdout.trim().split('\n').pop()!) as { ms: number; cpuMs: number };
  };
  /**
   * One run of the whole command, process start to exit: from source (bin/refinery.mjs runs the checkout through
   * tsx) or the build (dist/). Wall time, and CPU time of the process and its children (git), from this process's
   * /proc/self/stat (cutime + cstime of what it waited for; Linux, 10 ms ticks).
   */
  const cli = (entry: string, runTask = task): { wall: number; cpuMs: number } | undefined => {
    const before = childCpuMs();
    const started = performance.now();
    const out = spawnSync(process.execPath, [entry, 'context', '--repo', tree, '--task', runTask, '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const wall = performance.now() - started;
    if (out.status !== 0) {
      if (entry === source) throw new Error(`refinery context: ${out.stderr}`);
      return undefined;
    }
    return { wall, cpuMs: childCpuMs() - before };
  };
  const source = join(ROOT, 'bin/refinery.mjs');
  const built = join(ROOT, 'dist/cli/refinery.js');
  const runs = Number(values.runs);
  const baseline: ReturnType<typeof bm25>[] = [];
  const cold: InProcess[] = [];
  const coldOneThread: InProcess[] = [];
  const warm: InProcess[] = [];
  const warmNew: InProcess[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(cacheDir, { recursive: true, force: true });
    coldOneThread.push(inProcess('cold, one thread', { task }, { helper: false }));
    rmSync(cacheDir, { recursive: true, force: true });
    cold.push(inProcess('cold', { task }));
    warm.push(inProcess('warm', { task }));
    warmNew.push(inProcess('warm, new task', { task: otherTasks[nextOther++ % otherTasks.length]! }));
    baseline.push(bm25());
  }
  /** The command caches in the scratch tree's git directory: each cold run starts without it, then warm runs. */
  const whole = (entry: string) => {
    const cold: { wall: number; cpuMs: number }[] = [];
    const warm: { wall: number; cpuMs: number }[] = [];
    const warmNew: { wall: number; cpuMs: number }[] = [];
    for (let i = 0; i < runs; i++) {
      rmSync(join(tree, '.git', 'refinery'), { recursive: true, force: true });
      const c = cli(entry);
      if (c === undefined) return undefined;
      cold.push(c);
      const w = cli(entry);
      const n = cli(entry, otherTasks[nextOther++ % otherTasks.length]);
      if (w === undefined || n === undefined) return undefined;
      warm.push(w);
      warmNew.push(n);
    }
    return { cold, warm, warmNew };
  };
  const fromBuild = existsSync(built) ? whole(built) : undefined;
  const fromSource = whole(source)!;
  const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
  const ms = (xs: number[]) => s(median(xs));
  const runsOf = (xs: { wall: number; cpuMs: number }[]) =>
    `median ${ms(xs.map((x) => x.wall))} (${xs.map((x) => (x.wall / 1000).toFixed(2)).join(' ')}), CPU ${ms(xs.map((x) => x.cpuMs))}`;
  const proc = (xs: InProcess[]) =>
    `median ${ms(xs.map((c) => c.ms))} in process (${xs.map((c) => (c.ms / 1000).toFixed(2)).join(' ')}), ${ms(xs.map((c) => c.cpuMs))} CPU, ${xs[0]!.parsed} parsed / ${xs[0]!.cached} from the tag cache, ${xs[0]!.threads} thread(s)${xs[0]!.reused ? ', selection read back' : ''}; process ${ms(xs.map((c) => c.wall))}`;
  console.log(
    `\nspeed: ${tracked} tracked files (${(bytes / 1e6).toFixed(0)} MB), ${runs} runs each (medians), machine load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
  );
  console.log('  selectContext in process (src/ through tsx; the time of the call, start-up excluded):');
  console.log(`    cold (empty cache)                ${proc(cold)}`);
  console.log(`    cold, one thread (no helper)      ${proc(coldOneThread)}`);
  console.log(`    warm (same tree, same task)       ${proc(warm)}`);
  console.log(`    warm, a new task on the same tree ${proc(warmNew)}`);
  if (fromBuild) {
    console.log(
      '  refinery context --json, the whole command from the build (node dist/cli/refinery.js), start to exit:',
    );
    console.log(`    cold                              ${runsOf(fromBuild.cold)}   (target <= 2 s)`);
    console.log(`    warm                              ${runsOf(fromBuild.warm)}   (target <= 0.3 s)`);
    console.log(`    warm, a new task                  ${runsOf(fromBuild.warmNew)}`);
  } else
    console.log(
      '  refinery context from the build: dist/cli/refinery.js missing or without the context command (npm run build first)',
    );
  console.log('  refinery context --json from source (node bin/refinery.mjs, through tsx), start to exit:');
  console.log(
    `    cold ${runsOf(fromSource.cold)}; warm ${runsOf(fromSource.warm)}; warm, a new task ${runsOf(fromSource.warmNew)}`,
  );
  const ratio = (xs: number[]) => (median(xs) / median(baseline.map((b) => b.ms))).toFixed(2);
  console.log(
    `  in-script baseline, plain BM25 over the tree's source files (no cache): median ${ms(baseline.map((b) => b.ms))} in process, ${ms(baseline.map((b) => b.cpuMs))} CPU; cold ${ratio(cold.map((c) => c.ms))}x, cold one thread ${ratio(coldOneThread.map((c) => c.ms))}x, warm ${ratio(warm.map((c) => c.ms))}x, warm new task ${ratio(warmNew.map((c) => c.ms))}x of it`,
  );
  report.speed = {
    trackedFiles: tracked,
    cold,
    coldOneThread,
    warm,
    warmNew,
    baseline,
    fromBuild,
    fromSource,
  };
}

/** CPU milliseconds of the children this process waited for so far (cutime + cstime of /proc/self/stat). */
function childCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14 here.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * Refinery's own overheads (issue 19 item 5), each against a baseline measured in the same run, round-robin, so
 * all see the same machine load; medians of --runs runs (after one warm-up run of each):
 *
 *   1. graph overhead per iteration: bench/overhead-loop-pipeline.ts (coder → execute → critic) run by the spine
 *      (runPipeline: LangGraph, node instrumentation, budgets, the trajectory file) with a zero-latency scripted
 *      model and executions answered at once, as recorded ones are, without checkpoints; baseline: the same
 *      model calls, executions and decisions in a plain loop. Target: under 2 ms per iteration. The same graph
 *      on LangGraph alone (no spine, its nodes declared as the spine declares them: GraphNode) splits the overhead
 *      between LangGraph's own and Refinery's; the same again with plain-function nodes (LangGraph's default
 *      declaration) shows what that declaration saves.
 *   2. checkpointer cost per node: the same run with the SQLite checkpointer (the default of every live run)
 *      against without, per node step. Target: under 1 ms.
 *   3. replay of a 10,000-event trajectory with --exec recorded: a refine trajectory of at least --events events,
 *      recorded first with a scripted model and canned executions, replayed in process (runPipeline) and through
 *      the CLI (`refinery replay T --exec recorded`, process start included: from source through tsx, and from
 *      the built package, dist/cli/refinery.js, when `npm run build` has written it); baseline: reading that
 *      trajectory and writing its events again (the I/O a replay cannot avoid). Target: under 2 s. Then the work
 *      of one more replay, which load does not change: events and node steps written, sha256 hashes, characters
 *      serialised, and the CPU per event and per node step.
 *   4. `refinery view` of that trajectory (in process, the page written); baseline: reading the trajectory.
 *      Target: under 2 s. `npm run bench:view` also opens the page in Chromium.
 *
 *   With `--before DIR` (another checkout, e.g. `git archive <commit> | tar -x -C DIR` with node_modules linked), the
 *   same in-process replay by DIR's spine, and DIR's built command when `npm run build` was run there, are measured
 *   round-robin with this checkout's: before/after ratios under the same load. CPU figures include the child
 *   processes (the commands), from /proc.
 *
 *   npm run bench:overhead
 *   node --import tsx bench/overhead-bench.ts [--iterations 300] [--events 10000] [--runs 5] [--before DIR]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { shippedPipelines } from '../graphs/index.ts';
import { createCliContext } from '../src/cli/cli-context.ts';
import { commandTable } from '../src/cli/command-table.ts';
import { runCommandLine } from '../src/cli/run-command-line.ts';
import { createExecutor } from '../src/execution/create-executor.ts';
import type { ExecutionResult, Executor } from '../src/execution/execution-types.ts';
import type { ModelClient, ModelReply } from '../src/models/model-types.ts';
import { createRefinery } from '../src/runtime/create-refinery.ts';
import { readTrajectory } from '../src/trajectory/trajectory-reader.ts';
import { TrajectoryWriter } from '../src/trajectory/trajectory-writer.ts';
import {
  bareLoopGraph,
  loopStep,
  overheadLoopPipeline,
  recordedExecutor,
  zeroLatencyModel,
} from './overhead-loop-pipeline.ts';

const ROOT = resolve(import.meta.dirname, '..');
/** The CLI bundle `npm run build` writes: what the installed package's bin runs. */
const BUILT_CLI = join(ROOT, 'dist/cli/refinery.js');
const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '300' },
    events: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '5' },
    before: { type: 'string' },
  },
});
const ITERATIONS = Number(values.iterations);
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
/** Another checkout of Refinery (e.g. `git archive <commit>` with node_modules linked): its replay is measured too. */
const BEFORE = values.before === undefined ? undefined : resolve(values.before);
const scratch = mkdtempSync(join(tmpdir(), 'refinery-overhead-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const refinery = createRefinery({ pipelines: [...shippedPipelines, overheadLoopPipeline] });
const quiet = () => {};

console.log(
  `overhead bench: load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (figures on a loaded machine are not the product's)`,
);

/** Clock ticks per second of /proc's CPU times. */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/**
 * CPU ms (user + system) of this process's children waited for so far: /proc/self/stat's cutime and cstime (Linux, in
 * clock ticks, 10 ms); 0 where there is no /proc.
 */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/**
 * Runs each variant once to warm up, then RUNS times round-robin; returns the median wall ms of each, and under
 * `cpu.<name>` the median CPU ms of this process and of the child processes it ran (user + system; less sensitive
 * to a loaded machine than wall time).
 */
async function measure(variants: Record<string, () => Promise<void>>): Promise<Record<string, number>> {
  const times: Record<string, number[]> = Object.fromEntries(
    Object.keys(variants).flatMap((name) => [
      [name, []],
      [`cpu.${name}`, []],
    ]),
  );
  for (const run of Object.values(variants)) await run();
  for (let i = 0; i < RUNS; i++)
    for (const [name, run] of Object.entries(variants)) {
      const cpu = process.cpuUsage();
      const children = childrenCpuMs();
      const started = performance.now();
      await run();
      const wall = performance.now() - started;
      const used = process.cpuUsage(cpu);
      times[name]!.push(wall);
      times[`cpu.${name}`]!.push((used.user + used.system) / 1000 + childrenCpuMs() - children);
    }
  return Object.fromEntries(Object.entries(times).map(([k, t]) => [k, median(t)]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ms = (value: number) => `${value.toFixed(3)} ms`;
const verdict = (value: number, target: number) =>
  value < target ? `under the ${target} ms target` : `OVER the ${target} ms target`;

// 1 and 2: the loop pipeline, with and without checkpoints, against the plain loop.
const loopConfig = join(scratch, 'overhead-loop.yaml');
writeFileSync(
  loopConfig,
  [
    'graph: overhead-loop',
    'models: { default: { provider: openai, name: scripted } }',
    'agents: { coder: { model: default } }',
    `budgets: { iterations: ${ITERATIONS + 1}, tokens: 1000000000, costUsd: 1000000, wallSeconds: 1000000 }`,
    `options: { iterations: ${ITERATIONS} }`,
    '',
  ].join('\n'),
);
let loopRun = 0;
const loopVariant = (checkpoints: 'sqlite' | 'none') => async () => {
  const result = await refinery.run({
    configPath: loopConfig,
    task: { id: 'overhead' },
    models: { default: zeroLatencyModel },
    executor: recordedExecutor,
    checkpoints,
    trajectoryPath: join(scratch, `loop-${loopRun++}.jsonl`),
    cwd: scratch,
    onWarning: quiet,
  });
  if (result.status !== 'passed') throw new Error(`overhead loop ended ${result.status}: ${result.summary}`);
};
/** The loop graph on LangGraph alone, streamed as the spine streams it (every state). */
const bareLangGraph = (nodes: 'graph-node' | 'function') => async () => {
  const graph = bareLoopGraph(ITERATIONS, nodes);
  for await (const _ of await graph.stream({}, { streamMode: 'values', recursionLimit: ITERATIONS * 3 + 10 })) {
    // every state
  }
};
const loop = await measure({
  baseline: async () => {
    let code = '';
    for (let iteration = 1; ; iteration++) {
      code = (await zeroLatencyModel.call(loopStep.request(iteration))).texts[0] ?? '';
      const result = await recordedExecutor.run(loopStep.execution(code));
      if (loopStep.decide(iteration, ITERATIONS, result.verdict) === 'stop') break;
    }
  },
  langgraph: bareLangGraph('graph-node'),
  langgraphFunctions: bareLangGraph('function'),
  spine: loopVariant('none'),
  checkpointed: loopVariant('sqlite'),
});
/** A figure as wall time (CPU time of this process in brackets). */
const both = (m: Record<string, number>, name: string, per = 1) =>
  `${ms(m[name]! / per)} (cpu ${ms(m[`cpu.${name}`]! / per)})`;
const diff = (m: Record<string, number>, a: string, b: string, per: number) => ({
  wall: (m[a]! - m[b]!) / per,
  cpu: (m[`cpu.${a}`]! - m[`cpu.${b}`]!) / per,
});
const perIteration = diff(loop, 'spine', 'baseline', ITERATIONS);
const perNode = diff(loop, 'checkpointed', 'spine', 3 * ITERATIONS);
console.log(
  `\n1. graph overhead per iteration (${ITERATIONS} iterations of coder → execute → critic, median of ${RUNS})`,
);
console.log(
  `   baseline, plain loop:               ${both(loop, 'baseline')}; per iteration ${both(loop, 'baseline', ITERATIONS)}`,
);
console.log(
  `   spine + LangGraph, no checkpoints:  ${both(loop, 'spine')}; per iteration ${both(loop, 'spine', ITERATIONS)}`,
);
console.log(
  `   LangGraph alone, same graph:        ${both(loop, 'langgraph')}; per iteration ${both(loop, 'langgraph', ITERATIONS)}`,
);
console.log(
  `     (its nodes as plain functions, LangGraph's default declaration: per iteration ${both(loop, 'langgraphFunctions', ITERATIONS)})`,
);
console.log(
  `   overhead per iteration:             ${ms(perIteration.wall)} (cpu ${ms(perIteration.cpu)}): ${verdict(perIteration.wall, 2)}`,
);
const ofLangGraph = diff(loop, 'langgraph', 'baseline', ITERATIONS);
const ofSpine = diff(loop, 'spine', 'langgraph', ITERATIONS);
console.log(
  `     of which LangGraph's own:         ${ms(ofLangGraph.wall)} (cpu ${ms(ofLangGraph.cpu)}); Refinery's spine: ${ms(ofSpine.wall)} (cpu ${ms(ofSpine.cpu)})`,
);
console.log(
  `\n2. checkpointer cost per node (SQLite, durability sync, ${3 * ITERATIONS} node steps, median of ${RUNS})`,
);
console.log(
  `   with SQLite checkpoints:            ${both(loop, 'checkpointed')}: ${(loop['checkpointed']! / loop['spine']!).toFixed(2)}x the run without`,
);
console.log(
  `   cost per node:                      ${ms(perNode.wall)} (cpu ${ms(perNode.cpu)}): ${verdict(perNode.wall, 1)}`,
);

// 3: record a refine trajectory of at least EVENTS events, then replay it with recorded executions.
const trajectory = await recordLongRefineRun();
/** The --before checkout's built command, when it was built there (`npm run build` in DIR). */
const BEFORE_CLI =
  BEFORE && existsSync(join(BEFORE, 'dist/cli/refinery.js')) ? join(BEFORE, 'dist/cli/refinery.js') : undefined;
const events = readTrajectory(trajectory).events.length;
let replayRun = 0;
const replay = await measure({
  baseline: async () => {
    const read = readTrajectory(trajectory);
    const writer = new TrajectoryWriter(join(scratch, `copy-${replayRun++}.jsonl`));
    for (const { seq: _seq, at: _at, ...event } of read.events) writer.write(event);
    writer.close();
  },
  replay: async () => {
    const result = await refinery.run({
      replay: { trajectoryPath: trajectory, exec: 'recorded', onDivergence: 'stop' },
      trajectoryPath: join(scratch, `replay-${replayRun++}.jsonl`),
      cwd: ROOT,
      onWarning: quiet,
    });
    if (result.status === 'diverged' || result.status === 'error') throw new Error(`replay: ${result.summary}`);
  },
  ...(BEFORE ? { replayBefore: await replayFrom(BEFORE) } : {}),
  cli: cliReplay(join(ROOT, 'bin/refinery.mjs')),
  ...(existsSync(BUILT_CLI) ? { cliBuilt: cliReplay(BUILT_CLI) } : {}),
  ...(BEFORE_CLI ? { cliBuiltBefore: cliReplay(BEFORE_CLI) } : {}),
});

/**
 * The same in-process replay by another checkout's spine (`--before DIR`), round-robin with this one's: a
 * before/after in one process, under the same load. It shares this process's LangGraph when DIR's node_modules is
 * this checkout's (a link).
 */
async function replayFrom(dir: string): Promise<() => Promise<void>> {
  const { shippedPipelines: pipelines } = (await import(join(dir, 'graphs/index.ts'))) as {
    shippedPipelines: typeof shippedPipelines;
  };
  const { createRefinery: create } = (await import(join(dir, 'src/runtime/create-refinery.ts'))) as {
    createRefinery: typeof createRefinery;
  };
  const before = create({ pipelines: [...pipelines] });
  return async () => {
    const result = await before.run({
      replay: { trajectoryPath: trajectory, exec: 'recorded', onDivergence: 'stop' },
      trajectoryPath: join(scratch, `before-${replayRun++}.jsonl`),
      cwd: dir,
      onWarning: quiet,
    });
    if (result.status === 'diverged' || result.status === 'error')
      throw new Error(`replay (before): ${result.summary}`);
  };
}

/** `refinery replay T --exec recorded` in a child process started from `entry` (its start included). */
function cliReplay(entry: string) {
  return async () => {
    const child = spawnSync(
      process.execPath,
      [
        entry,
        'replay',
        trajectory,
        '--exec',
        'recorded',
        '--quiet',
        '--trajectory',
        join(scratch, `cli-${replayRun++}.jsonl`),
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (child.status === 3 || child.status === 20) throw new Error(`refinery replay: ${child.stderr}`);
  };
}
console.log(`\n3. replay of a ${events}-event refine trajectory with --exec recorded (median of ${RUNS})`);
console.log(`   baseline, read it and write its events: ${both(replay, 'baseline')}`);
console.log(
  `   replay in process (runPipeline):        ${both(replay, 'replay')}: ${(replay['replay']! / replay['baseline']!).toFixed(1)}x the baseline; ${verdict(replay['replay']!, 2000)}`,
);
if (replay['replayBefore'] !== undefined)
  console.log(
    `   the same replay by ${BEFORE} (--before), round-robin: ${both(replay, 'replayBefore')}; this checkout / that one: wall ${(replay['replay']! / replay['replayBefore']!).toFixed(2)}, cpu ${(replay['cpu.replay']! / replay['cpu.replayBefore']!).toFixed(2)}`,
  );
console.log(
  `   refinery replay in a process (from source through tsx, its start included): ${ms(replay['cli']!)} wall; ${verdict(replay['cli']!, 2000)}`,
);
console.log(
  replay['cliBuilt'] === undefined
    ? '   refinery replay from the built package: not measured (no dist/cli/refinery.js: npm run build first)'
    : `   refinery replay from the built package (node dist/cli/refinery.js, as installed; dist/ as last built by npm run build): ${both(replay, 'cliBuilt')}; ${verdict(replay['cliBuilt']!, 2000)}`,
);
if (replay['cliBuiltBefore'] !== undefined && replay['cliBuilt'] !== undefined)
  console.log(
    `   the same command built in ${BEFORE} (--before), round-robin: ${both(replay, 'cliBuiltBefore')}; this build / that one: wall ${(replay['cliBuilt']! / replay['cliBuiltBefore']!).toFixed(2)}, cpu ${(replay['cpu.cliBuilt']! / replay['cpu.cliBuiltBefore']!).toFixed(2)}`,
  );

const work = await replayWork();
const loopStepCpuUs = (loop['cpu.spine']! * 1000) / (3 * ITERATIONS);
const replayStepCpuUs = (replay['cpu.replay']! * 1000) / work.nodeSteps;
console.log(
  `   work in one replay (load-independent): ${work.events} events written in ${work.writes} write(2) calls to the trajectory, ${work.nodeSteps} node steps, ${work.hashes} sha256 hashes over ${work.hashedBytes} bytes, JSON.stringify of ${(work.stringified / 1e6).toFixed(1)} M characters; CPU per event written ${((replay['cpu.replay']! * 1000) / work.events).toFixed(1)} µs, per node step ${replayStepCpuUs.toFixed(1)} µs (the loop of section 1: ${loopStepCpuUs.toFixed(1)} µs per node step; the replay's reading and writing of the trajectory: ${((replay['cpu.baseline']! * 1000) / work.nodeSteps).toFixed(1)} µs per node step)`,
);

/**
 * One more in-process replay with its work counted: the events and node steps it wrote, the write(2) calls that wrote
 * them, the sha256 hashes it made (requests identified by key) and the characters it serialised, by wrapping
 * node:crypto's createHash, node:fs's openSync and writeSync, and JSON.stringify for that run only.
 */
async function replayWork() {
  const require = createRequire(import.meta.url);
  const crypto = require('node:crypto') as typeof import('node:crypto');
  const fs = require('node:fs') as typeof import('node:fs');
  const createHash = crypto.createHash;
  const stringify = JSON.stringify;
  const writeSync = fs.writeSync;
  const path = join(scratch, `work-${replayRun++}.jsonl`);
  const counts = { hashes: 0, hashedBytes: 0, stringified: 0, writes: 0 };
  let trajectoryFd: number | undefined;
  const openSync = fs.openSync;
  fs.openSync = ((file: import('node:fs').PathLike, ...rest: unknown[]) => {
    const fd = (openSync as (...args: unknown[]) => number)(file, ...rest);
    if (file === path) trajectoryFd = fd;
    return fd;
  }) as typeof openSync;
  fs.writeSync = ((fd: number, ...rest: unknown[]) => {
    if (fd === trajectoryFd) counts.writes += 1;
    return (writeSync as (...args: unknown[]) => number)(fd, ...rest);
  }) as typeof writeSync;
  crypto.createHash = ((...args: Parameters<typeof createHash>) => {
    const hash = createHash(...args);
    const update = hash.update.bind(hash);
    hash.update = ((data: string | NodeJS.ArrayBufferView, encoding?: BufferEncoding) => {
      counts.hashedBytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      return encoding === undefined ? update(data as string) : update(data as string, encoding);
    }) as typeof hash.update;
    counts.hashes += 1;
    return hash;
  }) as typeof createHash;
  JSON.stringify = ((...args: Parameters<typeof stringify>) => {
    const text = stringify(...args);
    counts.stringified += text?.length ?? 0;
    return text;
  }) as typeof stringify;
  syncBuiltinESMExports();
  try {
    const result = await refinery.run({
      replay: { trajectoryPath: trajectory, exec: 'recorded', onDivergence: 'stop' },
      trajectoryPath: path,
      cwd: ROOT,
      onWarning: quiet,
    });
    if (result.status === 'diverged' || result.status === 'error') throw new Error(`replay: ${result.summary}`);
  } finally {
    crypto.createHash = createHash;
    JSON.stringify = stringify;
    fs.openSync = openSync;
    fs.writeSync = writeSync;
    syncBuiltinESMExports();
  }
  const written = readTrajectory(path).events;
  return { ...counts, events: written.length, nodeSteps: written.filter((e) => e.type === 'node_enter').length };
}

// 4: the viewer's figure.
const view = await measureView(trajectory);
console.log(
  `\n4. refinery view of that trajectory: ${view === undefined ? 'not measured (no `refinery view` command in this build yet)' : `${ms(view['view']!)}: ${verdict(view['view']!, 2000)}; ${(view['view']! / view['read']!).toFixed(1)}x reading the trajectory (${ms(view['read']!)}), in process (bench/view-bench.ts: the page in Chromium)`}`,
);

/**
 * `refinery view TRAJECTORY --out FILE.html`, in process, median of RUNS, when the CLI has a `view` command;
 * baseline: reading the trajectory (every line parsed and checked), which the view starts with.
 */
async function measureView(path: string): Promise<Record<string, number> | undefined> {
  const ctx = createCliContext({ stdout: { write: () => true }, stderr: { write: () => true } });
  if (!commandTable(refinery, ctx).commands.some((c) => c.name() === 'view')) return undefined;
  let n = 0;
  const times = await measure({
    read: async () => void readTrajectory(path),
    view: async () => {
      const code = await runCommandLine(
        commandTable(refinery, ctx),
        ['view', path, '--out', join(scratch, `view-${n++}.html`)],
        ctx,
      );
      if (code !== 0) throw new Error(`refinery view exited ${code}`);
    },
  });
  return times;
}

/**
 * A refine run that never passes, with a zero-latency model whose every coder reply is another wrong candidate
 * and executions answered from one real execution of the first (the same failing report), long enough to write
 * at least EVENTS events (about 11 a coder → execute → critic iteration).
 */
async function recordLongRefineRun(): Promise<string> {
  const path = join(scratch, 'long-refine.jsonl');
  const iterations = Math.ceil(EVENTS / 11) + 5;
  let coder = 0;
  const model: ModelClient = {
    async call(request): Promise<ModelReply> {
      const system = request.messages[0]?.content ?? '';
      const text = system.includes('You are the planner')
        ? '- Keep the largest value seen so far.'
        : system.includes('You are the tester')
          ? '```python\nassert running_max([1, 1]) == [1, 1]\n```'
          : `\`\`\`python\ndef running_max(values):\n    variant = ${coder++}\n    return values[:-1]\n\`\`\``;
      return {
        texts: [text],
        finishReasons: ['stop'],
        usage: { inputTokens: 100, outputTokens: 30 },
        costUsd: 0,
        attempts: 1,
        latencyMs: 0,
        model: 'scripted',
      };
    },
  };
  const live = createExecutor({ sandbox: 'auto', onWarning: quiet });
  let canned: ExecutionResult | undefined;
  const executor: Executor = {
    async run(request, options) {
      canned ??= await live.run(request, options);
      return { ...canned };
    },
  };
  const result = await refinery.run({
    configPath: 'configs/refine.yaml',
    taskFile: 'fixtures/tasks/running-max.json',
    set: [
      `budgets.iterations=${iterations}`,
      'budgets.tokens=1000000000',
      'budgets.costUsd=1000000',
      'budgets.wallSeconds=1000000',
      'options.tester=false',
    ],
    models: { default: model },
    executor,
    checkpoints: 'none',
    trajectoryPath: path,
    cwd: ROOT,
    env: { ...process.env, OPENAI_API_KEY: 'sk-bench-0000' },
    onWarning: quiet,
  });
  if (!result.status.startsWith('exhausted'))
    throw new Error(`the long refine run ended ${result.status}: ${result.summary}`);
  return path;
}

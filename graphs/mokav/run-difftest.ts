import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadPipelineConfig } from '../../src/config/load-pipeline-config.ts';
import { closeSharedPythonWorkerPool } from '../../src/execution/batch/index.ts';
import { acquireSharedMatrixEngine } from '../../src/execution/matrix/matrix-engine-lease.ts';
import { probeSubjects, runSubjectCalls, type Subject } from '../../src/execution/mokav/det-calls.ts';
import { loadKeyedSamples } from '../../src/models/recorded/load-sample-source.ts';
import { RecordedSamplesModel } from '../../src/models/recorded/recorded-samples-model.ts';
import { sampleSourceFromMap } from '../../src/models/recorded/sample-source.ts';
import { PACKAGE_ROOT } from '../../src/runtime/package-root.ts';
import { pipelineChecks } from '../../src/runtime/pipeline-checks.ts';
import type { PipelineCommandServices } from '../../src/runtime/pipeline-definition.ts';
import { silentProgress } from '../../src/runtime/progress-reporter.ts';
import { runPipeline } from '../../src/runtime/run-pipeline.ts';
import { TaskError } from '../../src/runtime/task-error.ts';
import { callArguments } from '../../src/techniques/mokav/calling-convention.ts';
import { parsePythonLiteral } from '../../src/techniques/mokav/python-literal.ts';
import { isSequence, type PyValue } from '../../src/techniques/mokav/python-value.ts';
import { inspectRepository } from '../../src/workspace/inspect-repository.ts';
import { createRevisionWorktree, resolveRevision, trackedFiles } from '../../src/workspace/revision-worktree.ts';
import { detTestFile } from './det-test-file.ts';
import { DIFFTEST_CONFIG, type DifftestFlags } from './difftest-flags.ts';
import type { MokavOptions } from './mokav-options.ts';
import type { MokavResult } from './mokav-result.ts';
import type { MokavTask } from './mokav-task.ts';

const ENTRY =
  /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*):([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/;

/**
 * `refinery difftest`: Mokav between two commits (techniques §5). Both revisions are checked out in temporary
 * worktrees; the function runs from each revision's Python files in its own sandboxed process; each DET found is
 * written as a test file that passes on the pinned revision and fails on the other. Exit 0: a DET was written;
 * 1: none found; 2: bad input (nothing is left in the repository).
 */
export async function runDifftest(flags: DifftestFlags, services: PipelineCommandServices): Promise<number> {
  const cwd = services.cwd;
  const entry = ENTRY.exec(flags.entry);
  if (!entry) throw new TaskError('--entry', flags.entry, 'expected MODULE:FUNCTION, e.g. pricing.discount:apply');
  const [, module, fn] = entry as unknown as [string, string, string];
  const example = flags.example === undefined ? null : exampleArguments(flags.example);
  const repo = await inspectRepository(resolve(cwd, flags.repo));
  const baseCommit = await resolveRevision(repo, flags.base, '--base');
  const headCommit = await resolveRevision(repo, flags.head, '--head');
  const configPath = flags.config ? resolve(cwd, flags.config) : resolve(PACKAGE_ROOT, DIFFTEST_CONFIG);
  const loaded = await loadPipelineConfig(configPath, { set: flags.set, ...pipelineChecks(services.pipelines) });
  const options = loaded.config.options as MokavOptions;
  const limits = { cpuLimitSec: options.limitSec ?? 5, wallLimitSec: options.wallLimitSec ?? 30 };
  const models = flags.replies ? recordedModels(resolve(cwd, flags.replies), loaded.config.agents) : undefined;

  const lease = acquireSharedMatrixEngine({ config: loaded.config, baseDir: loaded.baseDir });
  const worktrees = [] as Awaited<ReturnType<typeof createRevisionWorktree>>[];
  try {
    worktrees.push(await createRevisionWorktree(repo, baseCommit), await createRevisionWorktree(repo, headCommit));
    const [baseTree, headTree] = worktrees as [(typeof worktrees)[0], (typeof worktrees)[0]];
    const original: Subject = { files: await trackedFiles(baseTree, '*.py'), module, function: fn };
    const patched: Subject = { files: await trackedFiles(headTree, '*.py'), module, function: fn };
    const [atBase, atHead] = await probeSubjects(lease.engine, [original, patched], limits);
    for (const [probe, flag, revision] of [
      [atBase, '--base', flags.base],
      [atHead, '--head', flags.head],
    ] as const)
      if (!probe!.ok)
        throw new TaskError('--entry', flags.entry, `does not load at ${flag} ${revision}: ${probe!.error}`);

    const task: MokavTask = {
      id: flags.entry,
      original,
      patched,
      originalCode: (atBase as { source: string }).source,
      patchedCode: (atHead as { source: string }).source,
      exampleInput: example,
      replyFormat: 'whole-literal',
    };
    const run = await runPipeline({
      configPath,
      set: flags.set,
      task,
      ...(models ? { models } : {}),
      pipelines: services.pipelines,
      progress: silentProgress,
      trajectoryPath: null,
    });
    const result = run.result as MokavResult | null;
    if (result === null) {
      process.stderr.write(`refinery difftest: ${run.summary}\n`);
      return 3;
    }
    // Every DET of the run (distinct inputs), each as its own test file pinning one revision.
    const written: string[] = [];
    const dets = [
      ...new Map(
        result.candidates
          .filter((c) => c.verdict === 'DET' && c.input !== null)
          .map((c) => [JSON.stringify(c.input), c]),
      ).values(),
    ];
    const pinHead = flags.pin === 'head';
    const argsOf = dets.map((c) => callArguments(c.input!, { scalars: 'one-argument' })!);
    // The pinned revision once more per DET: its value's repr, and whether that repr reads back as an equal literal.
    const pinned = await runSubjectCalls(
      lease.engine,
      argsOf.map((args) => ({ subject: pinHead ? patched : original, args })),
      limits,
    );
    const outDir = flags.out ? resolve(cwd, flags.out) : cwd;
    for (const [i, det] of dets.entries()) {
      const value = pinned[i]!;
      if (value.status !== 'ok') continue; // it no longer returns: not a test to write
      const other = pinHead ? det.originalOutput : det.patchedOutput;
      const text = detTestFile({
        module,
        function: fn,
        args: argsOf[i]!,
        expected: { repr: value.repr, literal: value.literal },
        pinned: {
          name: flags.pin,
          revision: pinHead ? flags.head : flags.base,
          commit: pinHead ? headCommit : baseCommit,
        },
        other: {
          revision: pinHead ? flags.base : flags.head,
          commit: pinHead ? baseCommit : headCommit,
          repr: other?.repr ?? '?',
        },
      });
      mkdirSync(outDir, { recursive: true });
      const file = freeName(outDir, `test_difftest_${fn.replaceAll('.', '_')}`);
      writeFileSync(file, text);
      written.push(file);
    }
    const report = {
      entry: flags.entry,
      base: { revision: flags.base, commit: baseCommit },
      head: { revision: flags.head, commit: headCommit },
      det: result.det,
      rounds: result.rounds,
      verdicts: result.verdicts,
      dropped: result.dropped,
      test_files: written,
    };
    if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else
      process.stdout.write(
        result.det
          ? `DET for ${flags.entry} in round ${result.det.round}: args ${JSON.stringify(result.det.input)}; ` +
              `${flags.head} returns ${result.det.patchedOutput?.repr}, ${flags.base} returns ${result.det.originalOutput?.repr}\n` +
              `wrote ${written.join(', ') || 'no test (the pinned revision no longer returns on it)'}\n`
          : `no DET for ${flags.entry} after ${result.rounds} round(s) (${JSON.stringify(result.verdicts)})\n`,
      );
    return written.length > 0 ? 0 : 1;
  } finally {
    for (const worktree of worktrees) await worktree.remove();
    await lease.release();
    await closeSharedPythonWorkerPool();
  }
}

/** `--example "[100, 'gold']"`: a Python list or tuple of arguments. */
function exampleArguments(text: string): PyValue {
  const parsed = parsePythonLiteral(text);
  if (!parsed.ok) throw new TaskError('--example', text, `not a Python literal (${parsed.reason})`);
  if (!isSequence(parsed.value)) throw new TaskError('--example', text, 'expected a list of arguments, e.g. [1, "a"]');
  return parsed.value;
}

function recordedModels(file: string, agents: Record<string, { model: string }>) {
  const model = new RecordedSamplesModel(sampleSourceFromMap(file, loadKeyedSamples(file)));
  return Object.fromEntries(Object.values(agents).map((agent) => [agent.model, model]));
}

function freeName(dir: string, stem: string): string {
  for (let i = 0; ; i++) {
    const path = join(dir, `${stem}${i === 0 ? '' : `_${i + 1}`}.py`);
    if (!existsSync(path)) return path;
  }
}

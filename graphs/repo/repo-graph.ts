import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { END, START, StateGraph } from '@langchain/langgraph';
import { parseRepoEdits } from '../../agents/repo-coder/parse-repo-edits.ts';
import { parseRepoCritique } from '../../agents/repo-critic/parse-repo-critique.ts';
import { parseRepoPlan } from '../../agents/repo-planner/parse-repo-plan.ts';
import { parseRepoTests } from '../../agents/repo-tester/parse-repo-tests.ts';
import { applyEditBlocks } from '../../src/editing/apply-edit-blocks.ts';
import type { EditFailure } from '../../src/editing/edit-failure.ts';
import { formatEditFailures } from '../../src/editing/format-edit-failures.ts';
import { callAgent } from '../../src/runtime/call-agent.ts';
import { instrumentNode } from '../../src/runtime/instrument-node.ts';
import type { RunContext } from '../../src/runtime/run-context.ts';
import { commitWorktreeChanges } from '../../src/workspace/commit-worktree-changes.ts';
import { runTestCommand } from '../../src/workspace/run-test-command.ts';
import type { RunWorktree } from '../../src/workspace/run-worktree.ts';
import { stagedDiff } from '../../src/workspace/staged-diff.ts';
import { callAgentExploring, toolsNote, toolWorkspace } from './explore-with-tools.ts';
import { listTrackedFiles, renderFileTree, renderRepoContext } from './repo-files.ts';
import type { RepoOptions } from './repo-options.ts';
import { type CommitRecord, RepoState, type RepoStateValue, type TestSummary } from './repo-state.ts';
import type { RepoTask } from './repo-task.ts';

export type RepoContext = RunContext<RepoTask, RepoOptions>;

export interface RepoGraphDeps {
  worktree: RunWorktree;
  /** Under replay: the original run's commits, whose messages and times are reused so commit ids match. */
  recordedCommits: CommitRecord[];
}

export function buildRepoGraph(ctx: RepoContext, deps: RepoGraphDeps) {
  const { task, options } = ctx;
  const dir = deps.worktree.dir;

  const runTests = async (changedFiles: string[]): Promise<TestSummary> => {
    const files: Record<string, string | null> = {};
    for (const path of [...changedFiles].sort()) {
      const absolute = join(dir, path);
      files[path] = existsSync(absolute) ? createHash('sha256').update(readFileSync(absolute)).digest('hex') : null;
    }
    const request = { command: task.testCmd, base: task.base, files };
    const result = await ctx.recordedStep('repo.test', request, () =>
      runTestCommand(task.testCmd, {
        workdir: dir,
        sandbox: ctx.config.execution.sandbox,
        timeoutMs: task.testTimeoutSec * 1000,
        maxOutputBytes: options.maxTestOutputBytes,
        signal: ctx.signal,
      }),
    );
    return { passed: result.passed, exitCode: result.exitCode, timedOut: result.timedOut, output: result.output };
  };

  const testVars = (test: TestSummary | null) => ({
    test_command: task.testCmd,
    test_exit_code: test
      ? test.timedOut
        ? `none, timed out after ${task.testTimeoutSec}s`
        : String(test.exitCode)
      : 'unknown',
    test_output: test?.output.trimEnd() || '(no output)',
  });

  const currentFiles = async (state: RepoStateValue, testOutput: string) => {
    const tracked = await listTrackedFiles(dir);
    return renderRepoContext(
      dir,
      {
        files: [...tracked, ...state.changedFiles.filter((p) => !tracked.includes(p))],
        pinned: [...state.changedFiles, ...state.planFiles],
        taskText: task.task,
        testOutput,
      },
      options.context,
    );
  };

  const baseline = instrumentNode(ctx, 'survey', async (): Promise<Partial<RepoStateValue>> => {
    const test = await runTests([]);
    return { baseline: test, test };
  });

  const planner = instrumentNode(ctx, 'planner', async (state: RepoStateValue): Promise<Partial<RepoStateValue>> => {
    const tracked = await listTrackedFiles(dir);
    const reply = await callAgentExploring(
      ctx,
      {
        agent: 'planner',
        vars: {
          task: task.task,
          file_tree: renderFileTree(tracked, options.maxTreeEntries),
          files: await currentFiles(state, state.baseline?.output ?? ''),
          tools: toolsNote(ctx),
          ...testVars(state.baseline),
        },
      },
      toolWorkspace(ctx, dir, state.changedFiles),
    );
    const plan = parseRepoPlan(reply.texts[0] ?? '');
    return { plan: plan.text, planFiles: plan.files };
  });

  const tester = instrumentNode(ctx, 'tester', async (state: RepoStateValue): Promise<Partial<RepoStateValue>> => {
    const reply = await callAgent(ctx, {
      agent: 'tester',
      vars: {
        task: task.task,
        plan: state.plan,
        files: await currentFiles(state, state.baseline?.output ?? ''),
        ...testVars(state.baseline),
      },
    });
    let parsed: ReturnType<typeof parseRepoTests>;
    try {
      parsed = parseRepoTests(reply.texts[0] ?? '');
    } catch (error) {
      return { editReport: `The tester's reply could not be read: ${(error as Error).message}` };
    }
    const result = applyEditBlocks(dir, parsed.allowed);
    const refused: EditFailure[] = parsed.refused.map((block) => ({
      block,
      kind: 'unsafe-path',
      detail: 'the tester may only write test files',
    }));
    return {
      changedFiles: union(state.changedFiles, result.changedFiles),
      editReport: formatEditFailures([...refused, ...result.failures], result.applied.length),
    };
  });

  const coder = instrumentNode(ctx, 'coder', async (state: RepoStateValue): Promise<Partial<RepoStateValue>> => {
    ctx.budget.startIteration();
    const iteration = state.iteration + 1;
    const feedback = [state.feedback && `Feedback on the previous attempt:\n${state.feedback}`, state.editReport]
      .filter((s) => s)
      .join('\n\n');
    const reply = await callAgentExploring(
      ctx,
      {
        agent: 'coder',
        vars: {
          task: task.task,
          plan: state.plan,
          files: await currentFiles(state, state.test?.output ?? ''),
          feedback: feedback ? `${feedback}\n` : '',
          tools: toolsNote(ctx),
          ...testVars(state.test),
        },
      },
      toolWorkspace(ctx, dir, state.changedFiles),
    );
    const parsed = parseRepoEdits(reply.texts[0] ?? '');
    if (parsed.problem !== undefined) {
      return { iteration, appliedThisIteration: false, allEditsApplied: false, editReport: parsed.problem };
    }
    const result = applyEditBlocks(dir, parsed.blocks);
    ctx.progress.update({
      node: 'coder',
      iteration,
      message: `${result.applied.length}/${parsed.blocks.length} edit blocks applied`,
    });
    return {
      iteration,
      changedFiles: union(state.changedFiles, result.changedFiles),
      appliedThisIteration: result.changedFiles.length > 0,
      allEditsApplied: result.failures.length === 0,
      editReport: formatEditFailures(result.failures, result.applied.length),
    };
  });

  const test = instrumentNode(ctx, 'run_tests', async (state: RepoStateValue): Promise<Partial<RepoStateValue>> => {
    const summary = await runTests(state.changedFiles);
    ctx.progress.update({
      node: 'run_tests',
      iteration: state.iteration,
      lastVerdict: summary.passed ? 'passed' : 'failed',
    });
    const accepted = summary.passed && (options.acceptance === 'tests-pass' || state.allEditsApplied);
    return { test: summary, accepted };
  });

  const critic = instrumentNode(ctx, 'critic', async (state: RepoStateValue): Promise<Partial<RepoStateValue>> => {
    const diff = await stagedDiff(dir, task.base, state.changedFiles, options.maxFileBytes / 2);
    const reply = await callAgent(ctx, {
      agent: 'critic',
      vars: {
        task: task.task,
        plan: state.plan,
        diff: diff.trimEnd() || '(no change yet)',
        edit_report: state.editReport || '(none: every edit block applied)',
        ...testVars(state.test),
      },
    });
    return { feedback: parseRepoCritique(reply.texts[0] ?? '') };
  });

  const commit = instrumentNode(ctx, 'commit', async (state: RepoStateValue): Promise<Partial<RepoStateValue>> => {
    const recorded = deps.recordedCommits[state.commits.length];
    const message = recorded?.message ?? commitMessage(ctx, state.iteration);
    const unixSeconds = recorded?.unixSeconds ?? Math.floor(Date.now() / 1000);
    const made = await commitWorktreeChanges(dir, { paths: state.changedFiles, message, unixSeconds });
    if (!made) {
      ctx.trajectory.write({
        type: 'note',
        node: 'commit',
        message: 'tests pass with no change against the base commit; nothing to commit',
      });
      return {};
    }
    const record: CommitRecord = { iteration: state.iteration, sha: made.sha, tree: made.tree, unixSeconds, message };
    ctx.trajectory.write({
      type: 'note',
      node: 'commit',
      message: `committed ${made.sha} on ${deps.worktree.branch}`,
      data: { commit: record },
    });
    return { commits: [...state.commits, record] };
  });

  const afterCoder = (state: RepoStateValue) => (state.appliedThisIteration ? 'run_tests' : 'critic_or_stop');
  const afterTests = (state: RepoStateValue) => (state.accepted ? 'commit' : 'critic_or_stop');
  const criticOrStop = (state: RepoStateValue) => (state.iteration >= options.maxIterations ? END : 'critic');

  return new StateGraph(RepoState)
    .addNode('survey', baseline)
    .addNode('planner', planner)
    .addNode('tester', tester)
    .addNode('coder', coder)
    .addNode('run_tests', test)
    .addNode('critic', critic)
    .addNode('commit', commit)
    .addEdge(START, 'survey')
    .addEdge('survey', 'planner')
    .addConditionalEdges('planner', () => (options.tester ? 'tester' : 'coder'), ['tester', 'coder'])
    .addEdge('tester', 'coder')
    .addConditionalEdges('coder', (s) => (afterCoder(s) === 'run_tests' ? 'run_tests' : criticOrStop(s)), [
      'run_tests',
      'critic',
      END,
    ])
    .addConditionalEdges('run_tests', (s) => (afterTests(s) === 'commit' ? 'commit' : criticOrStop(s)), [
      'commit',
      'critic',
      END,
    ])
    .addEdge('critic', 'coder')
    .addEdge('commit', END)
    .compile();
}

function union(a: string[], b: string[]): string[] {
  return [...a, ...b.filter((p) => !a.includes(p))];
}

/** Names the run and its trajectory; the subject is the task's first line. */
function commitMessage(ctx: RepoContext, iteration: number): string {
  const firstLine =
    ctx.task.task
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? 'task';
  const subject = firstLine.length > 64 ? `${firstLine.slice(0, 61)}...` : firstLine;
  const trajectory = ctx.trajectory.path ? displayPath(ctx.trajectory.path) : '(not written)';
  return [
    `refinery: ${subject}`,
    '',
    `Run: ${ctx.runId}`,
    `Trajectory: ${trajectory}`,
    `Iteration: ${iteration}`,
    `Test command: ${ctx.task.testCmd}`,
    '',
  ].join('\n');
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

import { BudgetExhaustedError } from '../../src/budget/budget-exhausted-error.ts';
import type { PipelineDefinition, PipelineOutcome } from '../../src/runtime/pipeline-definition.ts';
import type { ExitStatus } from '../../src/runtime/exit-status.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import { freeReplayBranchName, runBranchName } from '../../src/workspace/branch-names.ts';
import { createRunWorktree } from '../../src/workspace/create-run-worktree.ts';
import { diffSummary, type DiffSummary } from '../../src/workspace/diff-summary.ts';
import { inspectRepository } from '../../src/workspace/inspect-repository.ts';
import { WorkspaceError } from '../../src/workspace/workspace-error.ts';
import { workspaceGit } from '../../src/workspace/workspace-git.ts';
import { buildRepoGraph, type RepoContext } from './repo-graph.ts';
import { repoOptionsSchema, type RepoOptions } from './repo-options.ts';
import type { CommitRecord, RepoStateValue } from './repo-state.ts';
import { repoTaskFromFlags, repoTaskSchema, type RepoTask } from './repo-task.ts';

export interface RepoRunResult {
  branch: string;
  worktree: string;
  base: string;
  commits: CommitRecord[];
  iterations: number;
  testsPassed: boolean;
  diff: DiffSummary | null;
  /** Under replay: whether every commit's tree equals the recorded one. */
  treesMatchRecording?: boolean;
}

export const repoPipeline: PipelineDefinition<RepoTask, RepoOptions> = {
  name: 'repo',
  description: 'Work on a git repository in a worktree on a new branch; commit an iteration only when its tests pass.',
  optionsSchema: repoOptionsSchema,
  taskSchema: repoTaskSchema,
  taskFromFlags: (flags, cwd) => repoTaskFromFlags(flags, cwd),
  run: runRepoPipeline,
};

async function runRepoPipeline(ctx: RepoContext): Promise<PipelineOutcome> {
  const task = ctx.task;
  const repo = await inspectRepository(task.repo);
  const git = workspaceGit(repo.root);
  try {
    await git.raw(['cat-file', '-e', `${task.base}^{commit}`]);
  } catch {
    throw new WorkspaceError('find base commit', repo.root, `commit ${task.base} is not in this repository`);
  }
  const origin = ctx.mode.kind === 'replay' ? recordedOrigin(ctx.mode.trajectoryPath) : undefined;
  const branch = origin ? await freeReplayBranchName(git, origin.runId) : (task.branch ?? runBranchName(ctx.runId));
  const worktree = await createRunWorktree(repo, { runId: ctx.runId, branch, base: task.base });
  ctx.trajectory.write({
    type: 'note',
    node: 'workspace',
    message: `worktree on branch ${branch} from ${task.base.slice(0, 12)}`,
    data: { branch, worktree: worktree.dir, base: task.base, ...(origin ? { replayOf: origin.runId } : {}) },
  });

  const graph = buildRepoGraph(ctx, { worktree, recordedCommits: origin?.commits ?? [] });
  let state: RepoStateValue | undefined;
  let exhausted: BudgetExhaustedError | undefined;
  try {
    state = (await graph.invoke({}, { recursionLimit: 20 + ctx.options.maxIterations * 6, signal: ctx.signal })) as RepoStateValue;
  } catch (error) {
    if (!(error instanceof BudgetExhaustedError)) throw error;
    exhausted = error;
  }

  const commits = state?.commits ?? [];
  const head = commits.at(-1)?.sha;
  const diff = head ? await diffSummary(worktree.dir, task.base, head) : null;
  let treesMatchRecording: boolean | undefined;
  if (origin) {
    treesMatchRecording = commits.length === origin.commits.length && commits.every((c, i) => c.tree === origin.commits[i]?.tree);
  }
  const result: RepoRunResult = {
    branch,
    worktree: worktree.dir,
    base: task.base,
    commits,
    iterations: state?.iteration ?? ctx.budget.totals().iterations,
    testsPassed: state?.test?.passed ?? false,
    diff,
    ...(treesMatchRecording !== undefined ? { treesMatchRecording } : {}),
  };
  let status: ExitStatus = exhausted ? (`exhausted:${exhausted.budget}` as ExitStatus) : state?.accepted ? 'passed' : 'failed';
  if (treesMatchRecording === false) status = 'diverged';
  return { status, result, summary: summarise(result, status, exhausted) };
}

function summarise(result: RepoRunResult, status: ExitStatus, exhausted?: BudgetExhaustedError): string {
  const commits = result.commits.length
    ? `${result.commits.length} commit${result.commits.length > 1 ? 's' : ''} (${result.commits.map((c) => c.sha.slice(0, 12)).join(', ')})`
    : 'no commit';
  const lines = [`branch ${result.branch}: ${commits} after ${result.iterations} iteration(s)`];
  if (exhausted) lines.push(exhausted.message);
  if (status === 'diverged') lines.push('replayed commit trees differ from the recording');
  if (result.diff) lines.push(result.diff.stat);
  else if (status !== 'passed') lines.push(`uncommitted work, if any, is in ${result.worktree}`);
  return lines.join('\n');
}

/** The original run's id and commits, from the trajectory being replayed. */
function recordedOrigin(trajectoryPath: string): { runId: string; commits: CommitRecord[] } {
  const trajectory = readTrajectory(trajectoryPath);
  const commits: CommitRecord[] = [];
  for (const event of trajectory.events) {
    if (event.type !== 'note' || event.node !== 'commit') continue;
    const data = event.data as { commit?: CommitRecord } | undefined;
    if (data?.commit) commits.push(data.commit);
  }
  // A replay of a replay keeps naming the first run.
  const workspace = trajectory.events.find((e) => e.type === 'note' && e.node === 'workspace');
  const replayOf = (workspace?.type === 'note' ? (workspace.data as { replayOf?: string } | undefined)?.replayOf : undefined);
  return { runId: replayOf ?? trajectory.header.runId, commits };
}

import { z } from 'zod';
import type { ExitStatus } from '../../src/runtime/exit-status.ts';
import type { PipelineDefinition, PipelineStart } from '../../src/runtime/pipeline-definition.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import { freeReplayBranchName, runBranchName } from '../../src/workspace/branch-names.ts';
import { createRunWorktree } from '../../src/workspace/create-run-worktree.ts';
import { diffSummary } from '../../src/workspace/diff-summary.ts';
import { inspectRepository } from '../../src/workspace/inspect-repository.ts';
import { WorkspaceError } from '../../src/workspace/workspace-error.ts';
import { workspaceGit } from '../../src/workspace/workspace-git.ts';
import { repoExample } from './repo-example.ts';
import type { RepoContext } from './repo-graph.ts';
import { type RepoOptions, repoOptionsSchema } from './repo-options.ts';
import { type RepoReplayFlags, repoReplayFlagsSchema, repoReplayTask } from './repo-replay-flags.ts';
import type { CommitRecord, RepoStateValue } from './repo-state.ts';
import {
  type RepoRunFlags,
  type RepoTask,
  repoRunFlagsSchema,
  repoTaskFromFlags,
  repoTaskSchema,
} from './repo-task.ts';
import { resumeRepoWorktree } from './resume-repo-worktree.ts';

const commitSchema = z.object({
  iteration: z.number().int(),
  sha: z.string(),
  tree: z.string(),
  unixSeconds: z.number().int(),
  message: z.string(),
});

export const repoResultSchema = z.object({
  branch: z.string(),
  worktree: z.string(),
  base: z.string(),
  commits: z.array(commitSchema),
  iterations: z.number().int(),
  testsPassed: z.boolean(),
  /** The last iteration met the acceptance rule (`options.acceptance`) and was committed. */
  accepted: z.boolean(),
  diff: z
    .object({
      files: z.array(z.object({ path: z.string(), added: z.number().int(), deleted: z.number().int() })),
      added: z.number().int(),
      deleted: z.number().int(),
      stat: z.string(),
    })
    .nullable(),
  /** Under replay: whether every commit's tree equals the recorded one. */
  treesMatchRecording: z.boolean().optional(),
});

export type RepoRunResult = z.infer<typeof repoResultSchema>;

/** Graph steps: survey, planner, tester, commit, and at most coder, run_tests and critic per iteration. */
const ONE_OFF_STEPS = 20;
const STEPS_PER_ITERATION = 6;

export const repoPipeline: PipelineDefinition<RepoTask, RepoOptions, RepoRunResult, RepoStateValue> = {
  name: 'repo',
  description: 'Work on a git repository in a worktree on a new branch; commit an iteration only when its tests pass.',
  optionsSchema: repoOptionsSchema,
  taskSchema: repoTaskSchema,
  resultSchema: repoResultSchema,
  agents: [
    { agent: 'planner', prompts: ['user'] },
    { agent: 'tester', prompts: ['user'], when: (options) => options.tester },
    { agent: 'coder', prompts: ['user'] },
    { agent: 'critic', prompts: ['user'] },
  ],
  runFlags: repoRunFlagsSchema,
  taskFromFlags: (flags, cwd) => repoTaskFromFlags(flags as RepoRunFlags, cwd),
  replayFlags: repoReplayFlagsSchema,
  replayTask: (recorded, flags, cwd) => repoReplayTask(recorded, flags as RepoReplayFlags, cwd),
  start: startRepoRun,
  result: repoResult,
  verdict(_ctx, result) {
    const status = result.treesMatchRecording === false ? 'diverged' : result.accepted ? 'passed' : 'failed';
    return { status, summary: summarise(result, status) };
  },
  progressLine: (result) => summarise(result, 'failed'),
  example: repoExample,
};

async function startRepoRun(ctx: RepoContext): Promise<PipelineStart<RepoStateValue>> {
  const task = ctx.task;
  // Under replay the path comes from the recorded task, not a flag: say which file it came from and how to
  // point the replay at another copy of the repository.
  const repo = await inspectRepository(
    task.repo,
    ctx.mode.kind === 'replay'
      ? `task.repo recorded in ${ctx.mode.trajectoryPath} (replay with --repo PATH|BUNDLE to use another copy)`
      : '--repo',
  );
  const git = workspaceGit(repo.root);
  try {
    await git.raw(['cat-file', '-e', `${task.base}^{commit}`]);
  } catch {
    throw new WorkspaceError('find base commit', repo.root, `commit ${task.base} is not in this repository`);
  }
  const origin = ctx.mode.kind === 'replay' ? recordedOrigin(ctx.mode.trajectoryPath) : undefined;
  if (ctx.resume) {
    // A resumed run continues in the worktree the killed run made, or refuses when it was changed by hand.
    const saved = ctx.resume.state as Partial<RepoStateValue> | undefined;
    const worktree = await resumeRepoWorktree(repo, ctx.runId, ctx.resume.trajectoryPath, saved, task.base);
    ctx.trajectory.write({
      type: 'note',
      node: 'resume',
      message: `resumed in worktree ${worktree.dir} on branch ${worktree.branch}`,
      data: { branch: worktree.branch, worktree: worktree.dir, base: task.base },
    });
    const { buildRepoGraph } = await import('./repo-graph.ts');
    return {
      graph: buildRepoGraph(ctx, { worktree, recordedCommits: [] }),
      input: { workspace: { branch: worktree.branch, worktree: worktree.dir, base: task.base, recordedCommits: null } },
      stepLimit: ONE_OFF_STEPS + ctx.options.maxIterations * STEPS_PER_ITERATION,
    };
  }
  const branch = origin ? await freeReplayBranchName(git, origin.runId) : (task.branch ?? runBranchName(ctx.runId));
  const worktree = await createRunWorktree(repo, { runId: ctx.runId, branch, base: task.base });
  ctx.trajectory.write({
    type: 'note',
    node: 'workspace',
    message: `worktree on branch ${branch} from ${task.base.slice(0, 12)}`,
    data: { branch, worktree: worktree.dir, base: task.base, ...(origin ? { replayOf: origin.runId } : {}) },
  });
  // Imported here, not at the top: listing the pipelines (`refinery --help`) does not load LangGraph.
  const { buildRepoGraph } = await import('./repo-graph.ts');
  return {
    graph: buildRepoGraph(ctx, { worktree, recordedCommits: origin?.commits ?? [] }),
    input: { workspace: { branch, worktree: worktree.dir, base: task.base, recordedCommits: origin?.commits ?? null } },
    stepLimit: ONE_OFF_STEPS + ctx.options.maxIterations * STEPS_PER_ITERATION,
  };
}

async function repoResult(ctx: RepoContext, state: Partial<RepoStateValue> | undefined): Promise<RepoRunResult> {
  const workspace = state?.workspace;
  if (!workspace) throw new Error('repo pipeline: the graph ended before its input state was written');
  const commits = state.commits ?? [];
  const head = commits.at(-1)?.sha;
  const diff = head ? await diffSummary(workspace.worktree, workspace.base, head) : null;
  const recorded = workspace.recordedCommits;
  return {
    branch: workspace.branch,
    worktree: workspace.worktree,
    base: workspace.base,
    commits,
    iterations: state.iteration ?? ctx.budget.totals().iterations,
    testsPassed: state.test?.passed ?? false,
    accepted: state.accepted ?? false,
    diff,
    ...(recorded
      ? {
          treesMatchRecording:
            commits.length === recorded.length && commits.every((c, i) => c.tree === recorded[i]?.tree),
        }
      : {}),
  };
}

function summarise(result: RepoRunResult, status: ExitStatus): string {
  const commits = result.commits.length
    ? `${result.commits.length} commit${result.commits.length > 1 ? 's' : ''} (${result.commits.map((c) => c.sha.slice(0, 12)).join(', ')})`
    : 'no commit';
  const lines = [`branch ${result.branch}: ${commits} after ${result.iterations} iteration(s)`];
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
  const replayOf =
    workspace?.type === 'note' ? (workspace.data as { replayOf?: string } | undefined)?.replayOf : undefined;
  return { runId: replayOf ?? trajectory.header.runId, commits };
}

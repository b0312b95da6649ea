import { Annotation } from '@langchain/langgraph';

export interface TestSummary {
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  output: string;
}

export interface CommitRecord {
  iteration: number;
  sha: string;
  tree: string;
  unixSeconds: number;
  message: string;
}

const replace = <T>(initial: () => T) => Annotation<T>({ reducer: (_old: T, next: T) => next, default: initial });

/** Where the run works, set by the pipeline's start before the first node. */
export interface RepoWorkspace {
  branch: string;
  worktree: string;
  base: string;
  /** Under replay: the original run's commits, whose trees the replay's must equal. */
  recordedCommits: CommitRecord[] | null;
}

export const RepoState = Annotation.Root({
  workspace: replace<RepoWorkspace | null>(() => null),
  baseline: replace<TestSummary | null>(() => null),
  plan: replace<string>(() => ''),
  planFiles: replace<string[]>(() => []),
  /** Paths the agents wrote, in first-touched order; exactly what a commit stages. */
  changedFiles: replace<string[]>(() => []),
  iteration: replace<number>(() => 0),
  /** True when the latest coder reply changed at least one file. */
  appliedThisIteration: replace<boolean>(() => false),
  allEditsApplied: replace<boolean>(() => true),
  editReport: replace<string>(() => ''),
  test: replace<TestSummary | null>(() => null),
  feedback: replace<string>(() => ''),
  commits: replace<CommitRecord[]>(() => []),
  accepted: replace<boolean>(() => false),
});

export type RepoStateValue = typeof RepoState.State;

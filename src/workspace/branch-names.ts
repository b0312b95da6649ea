import type { SimpleGit } from 'simple-git';

export const BRANCH_PREFIX = 'refinery/';

export function runBranchName(runId: string): string {
  return `${BRANCH_PREFIX}${runId}`;
}

export async function branchExists(git: SimpleGit, branch: string): Promise<boolean> {
  try {
    const out = await git.raw(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
    return out.trim() !== '';
  } catch {
    return false;
  }
}

export async function isValidBranchName(git: SimpleGit, branch: string): Promise<boolean> {
  try {
    await git.raw(['check-ref-format', '--branch', branch]);
    return !branch.startsWith('-');
  } catch {
    return false;
  }
}

/** `refinery/<originRunId>-replay-<n>` with the smallest n >= 1 that is free. */
export async function freeReplayBranchName(git: SimpleGit, originRunId: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = `${BRANCH_PREFIX}${originRunId}-replay-${n}`;
    if (!(await branchExists(git, candidate))) return candidate;
  }
}

/** A run's worktree: where it lives, which branch it is on, and the commit it started from. */
export interface RunWorktree {
  dir: string;
  branch: string;
  base: string;
}

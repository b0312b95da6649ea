export const FALLBACK_WARNING =
  'refinery: bubblewrap is not in use, so executed programs run with resource limits only: they can read the ' +
  'whole file system, write wherever the user can, and open network connections. Install bubblewrap (Linux) ' +
  'for isolation; see docs/execution.md.';

let warned = false;

/** Emits the rlimit-only warning once per process. Returns whether it was emitted now. */
export function warnFallbackOnce(emit: (msg: string) => void): boolean {
  if (warned) return false;
  warned = true;
  emit(FALLBACK_WARNING);
  return true;
}

/** For tests: allow the warning again. */
export function resetFallbackWarning(): void {
  warned = false;
}

import type { Verdict } from './verdicts.ts';

/** How one version's call ended, when each version runs in its own process (difftest). */
export type VersionRun =
  | { status: 'ok'; repr: string }
  | { status: 'error' | 'load-error' | 'timeout' | 'crashed'; error: string };

/**
 * The verdict of one input when P and Q run in separate processes, each twice (techniques §5, Mokav between two
 * commits): both versions compared by their canonical text (`repr`; a deliberate deviation from one process's
 * `==`). A version whose two runs disagree is flaky: ERROR, never a DET.
 */
export function separateVerdict(
  q: readonly [VersionRun, VersionRun],
  p: readonly [VersionRun, VersionRun],
): { verdict: Verdict; error?: string } {
  const timeout = [...q, ...p].some((run) => run.status === 'timeout');
  const failed = (runs: readonly VersionRun[]) => runs.find((run) => run.status !== 'ok');
  const qFail = failed(q);
  if (qFail)
    return qFail.status === 'timeout' ? { verdict: 'TIMEOUT' } : { verdict: 'ERROR_IN_Q', error: errorOf(qFail) };
  const pFail = failed(p);
  if (pFail)
    return pFail.status === 'timeout' ? { verdict: 'TIMEOUT' } : { verdict: 'ERROR_IN_P', error: errorOf(pFail) };
  if (timeout) return { verdict: 'TIMEOUT' };
  const [q1, q2] = q as readonly [{ repr: string }, { repr: string }];
  const [p1, p2] = p as readonly [{ repr: string }, { repr: string }];
  if (q1.repr !== q2.repr || p1.repr !== p2.repr) return { verdict: 'ERROR', error: 'flaky' };
  return { verdict: q1.repr === p1.repr ? 'SAME' : 'DET' };
}

function errorOf(run: VersionRun): string {
  return 'error' in run ? run.error : run.status;
}

import type { SandboxMode } from '../../src/execution/execution-types.ts';
import { bubblewrapAvailable } from '../../src/execution/sandbox/sandbox-command.ts';

/**
 * The sandbox mode the execution tests meet on this machine, found by the project's own probe (the one
 * `sandbox: 'auto'` uses). With bubblewrap they check the sandbox's guarantees; without it they run against the
 * rlimit-only fallback and check what docs/execution.md says the fallback does and does not protect.
 */
export const bubblewrapHere: boolean = bubblewrapAvailable();

export const sandboxHere: SandboxMode = bubblewrapHere ? 'bwrap' : 'rlimit-only';

/** Put in suite names, so a CI log says which mode each sandbox test ran in. */
export const sandboxHereLabel = bubblewrapHere ? 'bwrap' : 'rlimit-only fallback: bubblewrap unavailable';

/** The line a test run prints once (test/support/announce-sandbox-mode.ts). */
export function sandboxModeNotice(): string {
  return bubblewrapHere
    ? 'refinery tests: bubblewrap is usable here; the sandbox tests check the bwrap sandbox (and the rlimit-only fallback via sandbox: none).'
    : 'refinery tests: bubblewrap is NOT usable here; the sandbox tests run against the rlimit-only fallback ' +
        '(docs/execution.md) and the bwrap-only guarantees are not exercised. Install bubblewrap to test them.';
}

import { sandboxModeNotice } from './sandbox-under-test.ts';

/** vitest global setup: says once per run, before any test, which sandbox mode the execution tests check. */
export default function announceSandboxMode(): void {
  console.warn(sandboxModeNotice());
}

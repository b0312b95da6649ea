import { sandboxModeNotice } from './sandbox-under-test.ts';

/**
 * vitest global setup (`globalSetup` in vitest.config.ts, which calls a named `setup`): says once per run, before
 * any test, which sandbox mode the execution tests check.
 */
export function setup(): void {
  console.warn(sandboxModeNotice());
}

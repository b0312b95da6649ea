import type { RuntimeFinding } from './runtime-finding.ts';

/** glibc's assert(): `prog: file.c:5: main: Assertion `x == 2' failed.` followed by SIGABRT. */
export function parseCAssertion(stderr: string): RuntimeFinding | undefined {
  const match = /^(?:.*?: )?([^\s:]+:\d+): ([^:]+): Assertion `(.*)' failed\.$/m.exec(stderr);
  if (!match) return undefined;
  return {
    verdict: 'failed',
    error: { type: 'AssertionError', message: `${match[3]} (at ${match[1]} in ${match[2]})`, traceback: match[0] },
  };
}

import type { ExecutionLimits, ExecutionResult } from '../execution-types.ts';
import type { ProcessOutcome } from '../process/run-process.ts';
import { compareStdout, describeMismatch } from './compare-stdout.ts';
import { mentionsOutOfMemory, type RuntimeFinding, trimTraceback } from './runtime-finding.ts';

export type Classification = Pick<ExecutionResult, 'verdict' | 'error' | 'expected' | 'actual'>;

/**
 * Turns a finished run into a verdict. Order matters: our own kills (wall timer, output cap) first, then CPU and
 * memory limits, then what the language's stderr says, then the exit status, then the expected output.
 */
export function classifyRun(
  outcome: ProcessOutcome,
  limits: ExecutionLimits,
  explain: (stderr: string) => RuntimeFinding | undefined,
  expectedStdout: string | undefined,
): Classification {
  if (outcome.timedOut) {
    return {
      verdict: 'timeout',
      error: { type: 'Timeout', message: `wall-clock limit of ${limits.wallMs} ms exceeded` },
    };
  }
  if (outcome.outputLimitExceeded) {
    return {
      verdict: 'error',
      error: {
        type: 'OutputLimitExceeded',
        message: `output exceeded ${limits.outputBytes} bytes; the program was killed`,
      },
    };
  }
  const finding = outcome.exitCode === 0 ? undefined : explain(outcome.stderr);
  if (outcome.signal !== null) {
    if (outcome.signal === 'SIGXCPU' || (outcome.signal === 'SIGKILL' && outcome.durationMs >= limits.cpuMs)) {
      return {
        verdict: 'timeout',
        error: { type: 'CpuTimeLimit', message: `CPU-time limit of ${limits.cpuMs} ms exceeded` },
      };
    }
    if (finding?.verdict === 'memory' || mentionsOutOfMemory(outcome.stderr)) {
      return {
        verdict: 'memory',
        error: finding?.error ?? { type: 'OutOfMemory', message: `memory limit of ${limits.memoryMb} MB exceeded` },
      };
    }
    if (finding?.verdict === 'failed') return finding;
    return {
      verdict: 'crashed',
      error: {
        type: outcome.signal,
        message: `killed by ${outcome.signal}`,
        ...(outcome.stderr.trim() ? { traceback: trimTraceback(outcome.stderr) } : {}),
      },
    };
  }
  if (outcome.exitCode !== 0) {
    if (finding) return finding;
    if (mentionsOutOfMemory(outcome.stderr)) {
      return {
        verdict: 'memory',
        error: { type: 'OutOfMemory', message: `memory limit of ${limits.memoryMb} MB exceeded` },
      };
    }
    const lastLine = outcome.stderr.trim().split('\n').pop() ?? '';
    return {
      verdict: 'error',
      error: { type: 'NonZeroExit', message: `exit status ${outcome.exitCode}${lastLine ? `: ${lastLine}` : ''}` },
    };
  }
  if (expectedStdout !== undefined) {
    const mismatch = compareStdout(expectedStdout, outcome.stdout);
    if (mismatch) {
      return {
        verdict: 'failed',
        error: { type: 'WrongOutput', message: describeMismatch(mismatch) },
        expected: expectedStdout,
        actual: outcome.stdout,
      };
    }
  }
  return { verdict: 'passed' };
}

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normaliseTestOutput, runTestCommand } from '../../src/workspace/run-test-command.ts';
import { bubblewrapHere } from '../support/sandbox-under-test.ts';

let workdir: string;
beforeEach(() => {
  workdir = mkdtempSync(join(tmpdir(), 'refinery-testcmd-'));
});
afterEach(() => {
  rmSync(workdir, { recursive: true, force: true });
});

describe('runTestCommand', () => {
  it('passes on exit 0 and fails on a non-zero exit, capturing both streams', async () => {
    const ok = await runTestCommand('echo out; echo err >&2', { workdir, sandbox: 'auto', timeoutMs: 20_000 });
    expect(ok.passed).toBe(true);
    expect(ok.output).toContain('out');
    expect(ok.output).toContain('err');
    const bad = await runTestCommand('echo failing; exit 3', { workdir, sandbox: 'auto', timeoutMs: 20_000 });
    expect(bad).toMatchObject({ passed: false, exitCode: 3, failedToStart: false, timedOut: false });
  });

  it('reports a command that cannot start', async () => {
    const missing = await runTestCommand('no-such-test-runner-xyz --all', {
      workdir,
      sandbox: 'auto',
      timeoutMs: 20_000,
    });
    expect(missing).toMatchObject({ passed: false, exitCode: 127, failedToStart: true });
  });

  it('kills the whole process group on timeout', async () => {
    const result = await runTestCommand('sleep 30 & sleep 30; echo never', {
      workdir,
      sandbox: 'auto',
      timeoutMs: 500,
    });
    expect(result.timedOut).toBe(true);
    expect(result.passed).toBe(false);
    expect(result.output).not.toContain('never');
  });

  if (bubblewrapHere) {
    it('lets the command write in the worktree only', async () => {
      const outside = mkdtempSync(join(tmpdir(), 'refinery-outside-'));
      try {
        const result = await runTestCommand(`touch inside.txt && touch ${outside}/outside.txt`, {
          workdir,
          sandbox: 'bwrap',
          timeoutMs: 20_000,
        });
        expect(existsSync(join(workdir, 'inside.txt'))).toBe(true);
        expect(existsSync(join(outside, 'outside.txt'))).toBe(false);
        expect(result.passed).toBe(false);
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });
  } else {
    it('without bubblewrap (rlimit-only fallback), sandbox bwrap does not start the command and says why', async () => {
      const result = await runTestCommand('touch inside.txt', { workdir, sandbox: 'bwrap', timeoutMs: 20_000 });
      expect(result).toMatchObject({ passed: false, failedToStart: true });
      expect(result.output).toContain('bubblewrap is not usable');
      expect(existsSync(join(workdir, 'inside.txt'))).toBe(false);
    });
  }

  it('passes no secret from the environment and keeps HOME out of the worktree', async () => {
    process.env.REFINERY_TEST_API_KEY = 'sk-should-not-leak';
    try {
      const result = await runTestCommand('echo "key=${REFINERY_TEST_API_KEY:-unset} home=$HOME"', {
        workdir,
        sandbox: 'auto',
        timeoutMs: 20_000,
      });
      expect(result.output.trim()).toBe('key=unset home=/tmp');
    } finally {
      delete process.env.REFINERY_TEST_API_KEY;
    }
  });

  it('returns when the command exits, killing what it left running in the background', async () => {
    const result = await runTestCommand('sleep 30 & echo started', { workdir, sandbox: 'none', timeoutMs: 20_000 });
    expect(result).toMatchObject({ passed: true, timedOut: false, exitCode: 0 });
    expect(result.output.trim()).toBe('started');
  });

  it('throws the abort reason instead of reporting a verdict', async () => {
    const controller = new AbortController();
    const pending = runTestCommand('sleep 30', {
      workdir,
      sandbox: 'auto',
      timeoutMs: 20_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('run cancelled')), 100);
    await expect(pending).rejects.toThrow('run cancelled');
  });

  it('keeps the start and the end of long output', async () => {
    writeFileSync(
      join(workdir, 'gen.sh'),
      'echo FIRST; i=0; while [ $i -lt 5000 ]; do echo line-$i; i=$((i+1)); done; echo LAST\n',
    );
    const result = await runTestCommand('sh gen.sh', {
      workdir,
      sandbox: 'auto',
      timeoutMs: 20_000,
      maxOutputBytes: 2000,
    });
    expect(result.outputTruncated).toBe(true);
    expect(result.output.startsWith('FIRST')).toBe(true);
    expect(result.output.trimEnd().endsWith('LAST')).toBe(true);
    expect(result.output.length).toBeLessThan(2100);
  });
});

describe('normaliseTestOutput', () => {
  it('removes the worktree path and runner timings', () => {
    const w = '/r/.git/refinery-worktrees/20260101-000000-abcdef';
    const text = `File "${w}/stats/core.py", line 3\nat file://${w}/test/a.test.js:4:5\nRan 2 tests in 0.003s\n# duration_ms 41.2\n`;
    expect(normaliseTestOutput(text, w)).toBe(
      'File "stats/core.py", line 3\nat test/a.test.js:4:5\nRan 2 tests in <time>s\n# duration_ms <time>\n',
    );
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TerminalProgress, TTY_REDRAW_MS } from '../../src/cli/progress/terminal-progress.ts';

const totals = { iterations: 1, modelCalls: 2, inputTokens: 10, outputTokens: 5, costUsd: 0.001, wallMs: 3 };

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) > 0 };
}

describe('TerminalProgress', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('on a TTY draws the first update at once, then at most once per redraw interval, the latest state each time', () => {
    const tty = stream(true);
    const progress = new TerminalProgress(tty);
    progress.update({ node: 'coder', totals });
    expect(tty.written).toHaveLength(1);
    expect(tty.written[0]).toContain('node=coder');
    for (let i = 0; i < 1000; i += 1) progress.update({ node: i % 2 ? 'execute' : 'critic', totals });
    expect(tty.written).toHaveLength(1);
    vi.advanceTimersByTime(TTY_REDRAW_MS);
    expect(tty.written).toHaveLength(2);
    expect(tty.written[1]).toContain('node=execute');
    expect(tty.written[1]?.startsWith('\r\x1b[2K')).toBe(true);
    // Nothing new since: no redraw.
    vi.advanceTimersByTime(10 * TTY_REDRAW_MS);
    expect(tty.written).toHaveLength(2);
  });

  it('on a TTY, finish clears the line and cancels a redraw still waiting', () => {
    const tty = stream(true);
    const progress = new TerminalProgress(tty);
    progress.update({ node: 'coder' });
    progress.update({ node: 'execute' });
    progress.finish('passed: done');
    vi.advanceTimersByTime(10 * TTY_REDRAW_MS);
    expect(tty.written).toEqual([expect.stringContaining('node=coder'), '\r\x1b[2K', 'passed: done\n']);
  });

  it('elsewhere writes one line per node change, as it happens', () => {
    const log = stream(false);
    const progress = new TerminalProgress(log);
    progress.update({ node: 'coder', totals });
    progress.update({ node: 'coder', totals });
    progress.update({ totals });
    progress.update({ node: 'execute', totals, lastVerdict: '1/4 visible' });
    progress.update({ node: 'coder' });
    progress.finish('failed: out of iterations');
    expect(log.written.map((line) => line.match(/node=(\w+)/)?.[1] ?? line)).toEqual([
      'coder',
      'execute',
      'coder',
      'failed: out of iterations\n',
    ]);
    expect(log.written[1]).toContain('last=1/4 visible');
  });
});

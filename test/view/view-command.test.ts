import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCliContext } from '../../src/cli/cli-context.ts';
import { runViewCommand } from '../../src/cli/commands/view-command.ts';
import { REFINE_RUN } from './view-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'refinery-view-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function view(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const ctx = createCliContext({
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  const code = await runViewCommand(args, ctx);
  return { code, stdout, stderr };
}

describe('refinery view', () => {
  it('writes the page beside the trajectory by default, A-vs-B for two, and prints its path', async () => {
    const a = join(dir, 'run-a.jsonl');
    const b = join(dir, 'run-b.jsonl');
    copyFileSync(REFINE_RUN, a);
    copyFileSync(REFINE_RUN, b);
    const one = await view(a);
    expect(one).toMatchObject({ code: 0, stdout: `${join(dir, 'run-a.html')}\n` });
    const html = readFileSync(join(dir, 'run-a.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    // Self-contained: nothing to load from anywhere.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    const two = await view(a, b);
    expect(two).toMatchObject({ code: 0, stdout: `${join(dir, 'run-a-vs-run-b.html')}\n` });
    expect(existsSync(join(dir, 'run-a-vs-run-b.html'))).toBe(true);
  });

  it('exits 2 naming the file for a missing trajectory, and for --out that is not .html', async () => {
    const missing = await view(join(dir, 'nope.jsonl'), '--out', join(dir, 'x.html'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.jsonl');
    const badOut = await view(REFINE_RUN, '--out', join(dir, 'page.txt'));
    expect(badOut.code).toBe(2);
    expect(badOut.stderr).toContain('page.txt');
    expect(existsSync(join(dir, 'page.txt'))).toBe(false);
  });
});

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectContext } from '../../src/context/select-context.ts';
import { contextTree } from './context-tree.ts';

let work: string;
let repo: string;
beforeAll(() => {
  ({ work, repo } = contextTree());
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const TASK = 'parse_duration counts minutes as hours: "1h30m" must be 5400 seconds.';

describe('selectContext', () => {
  it('shows a large file in part: its outline with line numbers and the function the task names, verbatim', async () => {
    const units = readFileSync(join(repo, 'timekit/units.py'), 'utf8');
    expect(units.length).toBeGreaterThan(24_000);
    const selection = await selectContext(repo, { task: TASK, budget: { fileChars: 6_000 } }, { cacheDir: false });
    const shown = selection.files.find((f) => f.path === 'timekit/units.py');
    expect(shown?.view).toBe('partial');
    const line = units.split('\n').indexOf('def parse_duration(text):') + 1;
    expect(shown?.ranges.some((r) => r.start <= line && r.end >= line + 4)).toBe(true);
    expect(selection.filesText).toContain('    return int(hours) * 3600 + int(minutes) * 3600\n');
    expect(selection.filesText).toMatch(new RegExp(`\\b${line}: def parse_duration\\(text\\):`));
    expect(selection.filesText).toContain('class Clock:');
    expect(selection.files.reduce((n, f) => n + f.chars, 0)).toBeLessThanOrEqual(6_000);
  });

  it('ranks the module that defines the named function first, above the test that merely calls it', async () => {
    const selection = await selectContext(repo, { task: TASK }, { cacheDir: false });
    const order = selection.ranking.map((r) => r.path);
    expect(order[0]).toBe('timekit/units.py');
    expect(order.indexOf('timekit/units.py')).toBeLessThan(order.indexOf('tests/test_units.py'));
    expect(selection.files.map((f) => f.path)).toContain('timekit/report.py');
  });

  it('shows the test the test output points at, around the failing line', async () => {
    const testOutput = [
      'Traceback (most recent call last):',
      `  File "${repo}/tests/test_units.py", line 4, in test_minutes`,
      '    assert parse_duration("1h30m") == 5400',
      'AssertionError',
    ].join('\n');
    const selection = await selectContext(
      repo,
      { task: 'make the failing test pass', testOutput },
      { cacheDir: false },
    );
    expect(selection.files.map((f) => f.path).slice(0, 2)).toContain('tests/test_units.py');
  });

  it('puts pinned files first', async () => {
    const selection = await selectContext(repo, { task: TASK, pinned: ['timekit/colors.py'] }, { cacheDir: false });
    expect(selection.files[0]?.path).toBe('timekit/colors.py');
  });

  it('a task that names nothing in the repository shows no file and says so; the map still lists the files', async () => {
    const selection = await selectContext(
      repo,
      { task: 'Quaternion slerp drifts for antipodal inputs.' },
      { cacheDir: false },
    );
    expect(selection.files).toEqual([]);
    expect(selection.filesText).toMatch(/no file of the repository matches the task/);
    expect(selection.mapText).toContain('timekit/units.py: ');
    expect(selection.mapText).toMatch(/^timekit\/units\.py: Clock, helper_0, helper_1/m);
  });

  it('never shows a binary file, and shows a .py file that does not parse as plain text windows', async () => {
    const selection = await selectContext(repo, { task: 'garbage duration minutes logo png' }, { cacheDir: false });
    expect(selection.ranking.map((r) => r.path)).not.toContain('logo.png');
    expect(selection.filesText).not.toContain('IHDR');
    const garbage = selection.files.find((f) => f.path === 'notes/garbage.py');
    expect(garbage).toBeDefined();
    expect(selection.filesText).toContain('@@@ ))) duration');
  });
});

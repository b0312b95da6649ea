import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoPipeline } from '../../graphs/repo/index.ts';
import { main } from '../../src/cli/main.ts';
import { createRefinery } from '../../src/runtime/create-refinery.ts';
import { captureOutput } from '../support/capture-output.ts';
import { contextTree } from './context-tree.ts';

let work: string;
let repo: string;
beforeAll(() => {
  ({ work, repo } = contextTree());
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const refinery = createRefinery({ pipelines: [repoPipeline] });
const TASK = 'parse_duration counts minutes as hours';

describe('refinery context', () => {
  it('--json prints the files shown in order and the characters, within the budget', async () => {
    const { code, stdout } = await captureOutput(() =>
      main(['context', '--repo', repo, '--task', TASK, '--json'], refinery),
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as {
      files: string[];
      chars: number;
      text: string;
      map: string;
      budget: { fileChars: number };
    };
    expect(out.files[0]).toBe('timekit/units.py');
    expect(out.chars).toBe(out.text.length + out.map.length);
    expect(out.text.length).toBeLessThanOrEqual(out.budget.fileChars);
    expect(out.text).toContain('def parse_duration(text):');
  });

  it('reads the task from @FILE and the budgets from a config (options.context)', async () => {
    const taskFile = join(work, 'task.md');
    writeFileSync(taskFile, `${TASK}\n`);
    const configDir = join(work, 'configs');
    mkdirSync(configDir, { recursive: true });
    const config = join(configDir, 'small.yaml');
    writeFileSync(
      config,
      `extends: ${join(import.meta.dirname, '../../configs/repo.yaml')}\noptions:\n  context: { fileChars: 3000, mapChars: 100 }\n`,
    );
    const { code, stdout, stderr } = await captureOutput(() =>
      main(['context', '--repo', repo, '--task', `@${taskFile}`, '--config', config, '--json'], refinery),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { text: string; map: string; budget: unknown };
    expect(out.budget).toEqual({ fileChars: 3000, mapChars: 100 });
    expect(out.text.length).toBeLessThanOrEqual(3000);
    expect(out.map.length).toBeLessThanOrEqual(100);
  });

  it('prints the ranked files with the parts shown, then the files and the map', async () => {
    const { code, stdout } = await captureOutput(() => main(['context', '--repo', repo, '--task', TASK], refinery));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}1\. timekit\/units\.py \(lines \d+-\d+/m);
    expect(stdout).toContain('# Repository map');
  });

  it('exits 2 naming the flag for a missing repository or task file', async () => {
    const missing = await captureOutput(() =>
      main(['context', '--repo', join(work, 'nope'), '--task', TASK], refinery),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--repo.*not a directory/);
    const noTask = await captureOutput(() =>
      main(['context', '--repo', repo, '--task', `@${join(work, 'none.md')}`], refinery),
    );
    expect(noTask.code).toBe(2);
    expect(noTask.stderr).toMatch(/--task.*does not exist/);
  });
});

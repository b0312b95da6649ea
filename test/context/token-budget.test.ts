import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoPipeline } from '../../graphs/repo/index.ts';
import { main } from '../../src/cli/main.ts';
import { contextBudgetSchema } from '../../src/context/context-budget-schema.ts';
import { selectContext } from '../../src/context/select-context.ts';
import { tokenMeasure } from '../../src/context/text-measure.ts';
import { createRefinery } from '../../src/runtime/create-refinery.ts';
import { captureOutput } from '../support/capture-output.ts';
import { contextTree } from './context-tree.ts';

let work: string;
let repo: string;
beforeAll(() => {
  ({ work, repo } = contextTree());
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const TASK = 'parse_duration counts minutes as hours: "1h30m" must be 5400 seconds.';
const refinery = createRefinery({ pipelines: [repoPipeline] });

function writeConfig(name: string, context: string): string {
  const dir = join(work, 'configs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(
    file,
    `extends: ${join(import.meta.dirname, '../../configs/repo.yaml')}\noptions:\n  context: ${context}\n`,
  );
  return file;
}

describe('token budgets', () => {
  it('caps the files shown by their token count, measured with the tokenizer', async () => {
    const count = await tokenMeasure('o200k_base');
    const selection = await selectContext(
      repo,
      { task: TASK, budget: { fileTokens: 400, mapTokens: 60 } },
      { cacheDir: false },
    );
    expect(selection.files.length).toBeGreaterThan(0);
    const perFile = selection.files.map((f) => f.tokens ?? Number.NaN);
    expect(perFile.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(400);
    expect(count(selection.filesText)).toBeLessThanOrEqual(400);
    expect(count(selection.mapText)).toBeLessThanOrEqual(60);
    expect(selection.tokens).toBe(count(selection.filesText) + count(selection.mapText));
    // Tokens, not characters: the files section is longer in characters than its token budget.
    expect(selection.filesText.length).toBeGreaterThan(400);
    // A larger token budget shows more: the cap is what bound it.
    const larger = await selectContext(repo, { task: TASK, budget: { fileTokens: 4_000 } }, { cacheDir: false });
    expect(count(larger.filesText)).toBeGreaterThan(count(selection.filesText));
    expect(count(larger.filesText)).toBeLessThanOrEqual(4_000);
  });

  it('counts with the configured encoding (cl100k_base)', async () => {
    const count = await tokenMeasure('cl100k_base');
    const selection = await selectContext(
      repo,
      { task: TASK, budget: { fileTokens: 900, tokenizer: 'cl100k_base' } },
      { cacheDir: false },
    );
    expect(count(selection.filesText)).toBeLessThanOrEqual(900);
    expect(selection.tokens).toBe(count(selection.filesText) + count(selection.mapText));
  });

  it('leaves the character path as it was: no tokens, the same selection with or without a tokenizer key', async () => {
    const plain = await selectContext(
      repo,
      { task: TASK, budget: { fileChars: 6_000, mapChars: 300 } },
      { cacheDir: false },
    );
    const parsed = contextBudgetSchema.parse({ fileChars: 6_000, mapChars: 300, tokenizer: 'cl100k_base' });
    expect(parsed).toEqual({ fileChars: 6_000, mapChars: 300 });
    const viaSchema = await selectContext(repo, { task: TASK, budget: parsed }, { cacheDir: false });
    expect(viaSchema.filesText).toBe(plain.filesText);
    expect(viaSchema.mapText).toBe(plain.mapText);
    expect(plain.tokens).toBeUndefined();
    expect(plain.files.every((f) => f.tokens === undefined)).toBe(true);
    expect(plain.files.reduce((n, f) => n + f.chars, 0)).toBeLessThanOrEqual(6_000);
    expect(plain.mapText.length).toBeLessThanOrEqual(300);
    expect(contextBudgetSchema.parse({})).toEqual({ fileChars: 48_000, mapChars: 4_000 });
  });

  it('refinery context --json reports tokens beside chars when a token budget is set', async () => {
    const config = writeConfig('tokens.yaml', '{ fileTokens: 1000, mapChars: 200 }');
    const { code, stdout, stderr } = await captureOutput(() =>
      main(['context', '--repo', repo, '--task', TASK, '--config', config, '--json'], refinery),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { chars: number; tokens: number; text: string; map: string; budget: unknown };
    expect(out.budget).toEqual({ fileTokens: 1000, mapChars: 200, tokenizer: 'o200k_base' });
    const count = await tokenMeasure('o200k_base');
    expect(out.tokens).toBe(count(out.text) + count(out.map));
    expect(out.chars).toBe(out.text.length + out.map.length);
    expect(count(out.text)).toBeLessThanOrEqual(1000);
    expect(out.map.length).toBeLessThanOrEqual(200);
  });

  it('rejects both keys of one pair as a config error naming the key', async () => {
    const config = writeConfig('both.yaml', '{ fileChars: 3000, fileTokens: 1000 }');
    const { code, stderr } = await captureOutput(() =>
      main(['context', '--repo', repo, '--task', TASK, '--config', config, '--json'], refinery),
    );
    expect(code).toBe(2);
    expect(stderr).toContain('both.yaml');
    expect(stderr).toContain('options.context.fileTokens');
    expect(stderr).toMatch(/fileChars or fileTokens, not both/);
  });
});

import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPromptTemplate } from '../../src/runtime/prompt-template.ts';

const dir = mkdtempSync(join(tmpdir(), 'refinery-prompt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadPromptTemplate', () => {
  it('reads a prompt file once per version: the same file gives the same template, an edited one is read again', () => {
    const file = join(dir, 'user.md');
    writeFileSync(file, 'Fix {{task}}.');
    const first = loadPromptTemplate('user.md', dir);
    expect(loadPromptTemplate(file, '/elsewhere')).toBe(first);
    writeFileSync(file, 'Repair {{task}} now.');
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    const edited = loadPromptTemplate('user.md', dir);
    expect(edited.text).toBe('Repair {{task}} now.');
    expect(edited.sha256).not.toBe(first.sha256);
  });

  it('names the file when it cannot be read, also after it was cached', () => {
    const file = join(dir, 'gone.md');
    writeFileSync(file, 'x');
    loadPromptTemplate(file, dir);
    rmSync(file);
    expect(() => loadPromptTemplate('gone.md', dir)).toThrow(/gone\.md.*cannot read prompt file \(ENOENT\)/);
  });
});

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { runValidateCommand } from '../../src/cli/commands/validate-command.ts';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadPipelineConfig } from '../../src/config/load-pipeline-config.ts';

interface ExpectedIssue {
  file?: string;
  at: string | null;
  keyPath: string;
  kind: string;
  says: string;
}
interface MalformedCase {
  config: string;
  set?: string[];
  env?: Record<string, string>;
  issues: ExpectedIssue[];
}

const DIR = 'fixtures/configs/malformed';
const manifest = parse(readFileSync(`${DIR}/expected.yaml`, 'utf8')) as { cases: MalformedCase[] };
const cases = manifest.cases.map((c) => ({
  ...c,
  label: `${c.config.split('/').pop()}${c.set ? ` --set ${c.set.join(' --set ')}` : ''}`,
}));

const graphs = {
  knownGraphs: ['refine', 'codet'],
  optionsSchemaFor: (graph: string) =>
    graph === 'refine' ? z.object({ maxRounds: z.number().int().positive().default(3) }).strict() : undefined,
  agentsRequiredBy: (graph: string) =>
    graph === 'codet'
      ? [
          { agent: 'coder', prompts: ['user'] },
          { agent: 'tester', prompts: ['user'] },
        ]
      : [],
};

function sink() {
  const chunks: string[] = [];
  return { write: (text: string) => chunks.push(text), text: () => chunks.join('') };
}

function argvOf(c: MalformedCase): string[] {
  return [c.config, ...(c.set ?? []).flatMap((s) => ['--set', s])];
}

describe('malformed configs (fixtures/configs/malformed/expected.yaml)', () => {
  it('covers at least 20 cases and every fixture file in the directory', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    const mentioned = new Set(cases.flatMap((c) => [c.config, ...c.issues.map((i) => i.file ?? c.config)]));
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'expected.yaml');
    expect(files.filter((f) => !mentioned.has(`${DIR}/${f}`))).toEqual([]);
    expect(cases.every((c) => c.issues.length > 0)).toBe(true);
  });

  it.each(cases)('$label: exit 2, one line per issue with file, line:column and key path', async (c) => {
    const stdout = sink();
    const stderr = sink();
    const code = await runValidateCommand(argvOf(c), { graphs, env: c.env ?? {}, stdout, stderr });
    expect(code).toBe(2);
    expect(stdout.text()).toBe('');
    const lines = stderr.text().trimEnd().split('\n');
    expect(lines).toHaveLength(c.issues.length);
    c.issues.forEach((issue, i) => {
      const where = issue.at === null ? (issue.file ?? c.config) : `${issue.file ?? c.config}:${issue.at}`;
      expect(lines[i]!.startsWith(`${where}: ${issue.keyPath}: `), `line ${i}: ${lines[i]}`).toBe(true);
      expect(lines[i]).toContain(issue.says);
    });
  });

  it.each(cases)('$label: ConfigError carries the same structured issues', async (c) => {
    const error = await loadPipelineConfig(c.config, { set: c.set ?? [], env: c.env ?? {}, ...graphs }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.map((i) => ({
      file: i.file,
      at: i.line === undefined ? null : `${i.line}:${i.column}`,
      keyPath: i.keyPath,
      kind: i.kind,
    }));
    expect(issues).toEqual(
      c.issues.map((i) => ({ file: i.file ?? c.config, at: i.at, keyPath: i.keyPath, kind: i.kind })),
    );
  });
});

const cliEntry = existsSync('src/cli/main.ts') && existsSync('bin/refinery.mjs');

describe.runIf(cliEntry)('refinery validate, end to end through bin/refinery.mjs', () => {
  const run = promisify(execFile);
  const picks = ['wrong-type-budget.yaml', 'extends-inherited-error.yaml', 'minimal.yaml --set budgets.iterations'];

  it('exits 2 with the positioned message on stderr', async () => {
    const chosen = picks.map((label) => cases.find((c) => c.label === label)!);
    expect(chosen.every(Boolean)).toBe(true);
    const env = { ...process.env };
    delete env['REFINERY_FIXTURE_UNSET_KEY'];
    const results = await Promise.all(
      chosen.map((c) =>
        run(process.execPath, ['bin/refinery.mjs', 'validate', ...argvOf(c)], { env }).then(
          () => ({ code: 0, stderr: '' }),
          (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
        ),
      ),
    );
    results.forEach((result, i) => {
      const c = chosen[i]!;
      expect(result.code).toBe(2);
      for (const issue of c.issues) {
        const where = issue.at === null ? (issue.file ?? c.config) : `${issue.file ?? c.config}:${issue.at}`;
        expect(result.stderr).toContain(`${where}: ${issue.keyPath}: `);
      }
    });
  });
});

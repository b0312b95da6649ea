import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runSchemaCommand } from '../../src/cli/commands/schema-command.ts';
import { runValidateCommand } from '../../src/cli/commands/validate-command.ts';
import { renderConfigReference } from '../../src/config/config-reference.ts';

function sink() {
  const chunks: string[] = [];
  return { write: (text: string) => chunks.push(text), text: () => chunks.join('') };
}

const KEY = 'sk-test-commands-0123456789';
const graphs = { knownGraphs: ['refine'], optionsSchemaFor: () => undefined };

describe('refinery validate', () => {
  it('prints ok with the graph name and exits 0 for a valid config', async () => {
    const stdout = sink();
    const stderr = sink();
    const code = await runValidateCommand(['fixtures/configs/valid/child.yaml', '--set', 'budgets.iterations=2'], {
      graphs,
      env: { REFINERY_TEST_OPENAI_KEY: KEY },
      stdout,
      stderr,
    });
    expect(stderr.text()).toBe('');
    expect(code).toBe(0);
    expect(stdout.text()).toBe('ok: fixtures/configs/valid/child.yaml (graph refine)\n');
  });

  it('--print shows the resolved config with secrets as written', async () => {
    const stdout = sink();
    const code = await runValidateCommand(['fixtures/configs/valid/child.yaml', '--print'], {
      graphs,
      env: { REFINERY_TEST_OPENAI_KEY: KEY },
      stdout,
      stderr: sink(),
    });
    expect(code).toBe(0);
    expect(stdout.text()).toContain('apiKey: ${REFINERY_TEST_OPENAI_KEY}');
    expect(stdout.text()).toContain('memoryMb: 2048');
    expect(stdout.text()).not.toContain(KEY);
  });

  it('exits 2 with usage for a missing file argument or an unknown flag', async () => {
    for (const argv of [[], ['a.yaml', 'b.yaml'], ['fixtures/configs/valid/minimal.yaml', '--frobnicate']]) {
      const stderr = sink();
      expect(await runValidateCommand(argv, { graphs, stdout: sink(), stderr })).toBe(2);
      expect(stderr.text()).toContain('usage: refinery validate CONFIG');
    }
  });
});

describe('refinery schema', () => {
  it('prints the JSON Schema of what a user writes: strict, defaults optional', async () => {
    const stdout = sink();
    expect(await runSchemaCommand([], { stdout })).toBe(0);
    const schema = JSON.parse(stdout.text()) as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { properties?: Record<string, { enum?: string[]; default?: unknown }> }>;
    };
    expect(schema.required.sort()).toEqual(['graph', 'models']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties['execution']!.properties!['sandbox']).toMatchObject({
      enum: ['auto', 'bwrap', 'none'],
      default: 'auto',
    });
  });

  it('docs/config.md holds the current key reference table (regenerate with `refinery schema --markdown`)', async () => {
    const stdout = sink();
    expect(await runSchemaCommand(['--markdown'], { stdout })).toBe(0);
    expect(stdout.text()).toBe(renderConfigReference());
    const docs = readFileSync('docs/config.md', 'utf8');
    expect(docs).toContain(renderConfigReference());
  });
});

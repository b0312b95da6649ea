import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ConfigError } from '../../config/config-error.ts';
import type { ContextBudgetOptions } from '../../context/context-budget-schema.ts';
import { DEFAULT_CONTEXT_BUDGET, selectContext } from '../../context/select-context.ts';
import type { Refinery } from '../../runtime/create-refinery.ts';
import { BAD_INPUT_EXIT_CODE } from '../../runtime/exit-status.ts';
import { TaskError } from '../../runtime/task-error.ts';
import { type CliContext, setAction } from '../cli-context.ts';

interface ContextFlags {
  repo: string;
  task: string;
  testOutput?: string;
  config?: string;
  json?: boolean;
}

/**
 * `refinery context --repo PATH --task TEXT|@FILE [--test-output @FILE] [--config C] [--json]`: what an agent
 * working on the repository would be shown for the task (src/context/select-context.ts), with no model call:
 * the files shown (whole or in part) in order, then the repository map. The budgets are the config's
 * `options.context` (docs/repo-context.md), by default the repo pipeline's defaults. Loaded on its own
 * (src/cli/light-commands.ts): the pipelines, their config schemas and zod are imported only for `--config`.
 */
export function contextCommand(refinery: Refinery | (() => Promise<Refinery> | Refinery), ctx: CliContext): Command {
  const command = new Command('context')
    .summary('print the repository context an agent is shown for a task (no model call)')
    .description(
      'Rank the files of a repository for a task and print what the planner would be shown: files whole or in part ' +
        '(an outline with line numbers and the relevant functions of a large file), then the repository map.',
    )
    .addOption(new Option('--repo <PATH>', 'the repository (a git work tree, or any folder)').makeOptionMandatory())
    .addOption(new Option('--task <TEXT|@FILE>', 'the task, or @FILE to read it from a file').makeOptionMandatory())
    .addOption(new Option('--test-output <TEXT|@FILE>', 'test output whose tracebacks point at files and lines'))
    .addOption(new Option('--config <CONFIG>', 'take the budgets from this config (options.context)'))
    .addOption(
      new Option('--json', 'print one JSON object: files (in the order shown), chars, shown, ranking, map, text'),
    );
  return setAction(command, ctx, async (flags: ContextFlags) => {
    const repo = resolve(flags.repo);
    if (!existsSync(repo) || !statSync(repo).isDirectory()) throw new TaskError('--repo', repo, 'not a directory');
    const task = readTextFlag('--task', flags.task);
    const testOutput = flags.testOutput === undefined ? '' : readTextFlag('--test-output', flags.testOutput);
    let budget: ContextBudgetOptions;
    try {
      budget = await budgetFrom(refinery, flags.config);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      ctx.stderr.write(`${error.message}\n`);
      return BAD_INPUT_EXIT_CODE;
    }
    const selection = await selectContext(repo, { task, testOutput, budget });
    if (flags.json) {
      ctx.stdout.write(
        `${JSON.stringify({
          files: selection.files.map((f) => f.path),
          chars: selection.chars,
          ...(selection.tokens !== undefined ? { tokens: selection.tokens } : {}),
          budget,
          shown: selection.files,
          ranking: selection.ranking.slice(0, 50).map((r) => ({
            path: r.path,
            score: Number(r.score.toFixed(4)),
            ...(r.symbols.length > 0 ? { symbols: r.symbols } : {}),
          })),
          map: selection.mapText,
          text: selection.filesText,
        })}\n`,
      );
      return 0;
    }
    const summary = selection.files.map((f, i) => {
      const where = f.view === 'whole' ? 'whole' : `lines ${f.ranges.map((r) => `${r.start}-${r.end}`).join(', ')}`;
      const tokens = f.tokens !== undefined ? `, ${f.tokens} tokens` : '';
      return `${String(i + 1).padStart(3)}. ${f.path} (${where}; ${f.chars} characters${tokens})`;
    });
    const size = `${selection.chars} characters${selection.tokens !== undefined ? `, ${selection.tokens} tokens` : ''}`;
    const limit = (chars: number | undefined, tokens: number | undefined) =>
      tokens !== undefined ? `${tokens} tokens` : `${chars}`;
    ctx.stdout.write(
      [
        `# Context for the task: ${selection.files.length} files shown, ${size} (budget: ${limit(budget.fileChars, budget.fileTokens)} for files, ${limit(budget.mapChars, budget.mapTokens)} for the map)`,
        ...summary,
        '',
        '# Files',
        selection.filesText,
        '',
        '# Repository map (the next files by rank)',
        selection.mapText || '(none)',
        '',
      ].join('\n'),
    );
    return 0;
  });
}

function readTextFlag(flag: string, value: string): string {
  if (!value.startsWith('@')) {
    if (value.trim() === '') throw new TaskError(flag, '', 'is empty');
    return value.trim();
  }
  const path = resolve(value.slice(1));
  if (!existsSync(path) || !statSync(path).isFile()) throw new TaskError(flag, path, 'file does not exist');
  const text = readFileSync(path, 'utf8').trim();
  if (text === '') throw new TaskError(flag, path, 'file is empty');
  return text;
}

async function budgetFrom(
  refinery: Refinery | (() => Promise<Refinery> | Refinery),
  config: string | undefined,
): Promise<ContextBudgetOptions> {
  if (config === undefined) return { ...DEFAULT_CONTEXT_BUDGET };
  const [{ loadPipelineConfig }, { pipelineChecks }, { contextBudgetSchema }, { pipelines }] = await Promise.all([
    import('../../config/load-pipeline-config.ts'),
    import('../../runtime/pipeline-checks.ts'),
    import('../../context/context-budget-schema.ts'),
    typeof refinery === 'function' ? refinery() : refinery,
  ]);
  const loaded = await loadPipelineConfig(config, { ...pipelineChecks(pipelines), checkPromptFiles: false });
  const options = loaded.config.options as { context?: unknown } | undefined;
  return contextBudgetSchema.parse(options?.context ?? {});
}

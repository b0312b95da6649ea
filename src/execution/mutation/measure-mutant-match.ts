import {
  compareMutantSets,
  type MutantSetComparison,
  type ReleasedMutant,
  sumComparisons,
  UNLABELLED,
} from './compare-mutant-sets.ts';
import { type GeneratedMutant, type GenerateMutantsOptions, generateMutantsForMany } from './generate-mutants.ts';
import { MUTAP_OPERATORS } from './mutation-operators.ts';
import { PutParseError } from './put-parse-error.ts';
import { createPythonNormaliser } from './python-normaliser.ts';

export interface MutantMatchTask {
  task: string;
  /** The program the released mutants were made from. */
  put: string;
  released: readonly ReleasedMutant[];
}

/** One mutant that only one side has, located by the first line where it differs from its PUT. */
export interface UnmatchedMutant {
  task: string;
  operator: string;
  name?: string;
  line: number;
  /** That line of the mutant, trimmed. */
  text: string;
}

export interface MutantMatchReport {
  operators: readonly string[];
  /** How both sides were normalised before comparing. */
  normalisation: string;
  tasks: { task: string; comparison: MutantSetComparison; error?: string }[];
  total: MutantSetComparison;
  missing: UnmatchedMutant[];
  extra: UnmatchedMutant[];
}

export const AST_NORMALISATION = 'ast.unparse(ast.parse(source)) on both sides (python3)';

/**
 * Generates mutants for every task's PUT with Refinery's engine and compares them with the released ones
 * (normalised code equality, AST_NORMALISATION). Also returns the generated mutants by task, so a benchmark can
 * score them without generating twice. A PUT that does not parse gets no mutants (its error is in the report)
 * and the other tasks go on.
 */
export async function measureMutantMatch(
  tasks: readonly MutantMatchTask[],
  options: GenerateMutantsOptions = {},
): Promise<{ report: MutantMatchReport; generated: Map<string, GeneratedMutant[] | PutParseError> }> {
  const operators = options.operators ?? MUTAP_OPERATORS;
  const results = await generateMutantsForMany(
    tasks.map((t) => t.put),
    { ...options, operators },
  );
  const generatedSources = results.flatMap((r) => (r instanceof PutParseError ? [] : r.map((m) => m.source)));
  const releasedSources = tasks.flatMap((t) => t.released.map((m) => m.source));
  const normalise = await createPythonNormaliser([...releasedSources, ...generatedSources], options);

  const generated = new Map<string, GeneratedMutant[] | PutParseError>();
  const rows: MutantMatchReport['tasks'] = [];
  const missing: UnmatchedMutant[] = [];
  const extra: UnmatchedMutant[] = [];
  tasks.forEach((task, i) => {
    const result = results[i] as GeneratedMutant[] | PutParseError;
    generated.set(task.task, result);
    const mutants = result instanceof PutParseError ? [] : result;
    const comparison = compareMutantSets(task.released, mutants, { normalise });
    rows.push({ task: task.task, comparison, ...(result instanceof PutParseError ? { error: result.message } : {}) });
    for (const mutant of comparison.missing) {
      missing.push({
        task: task.task,
        operator: mutant.operator ?? UNLABELLED,
        ...(mutant.name ? { name: mutant.name } : {}),
        ...changedLine(task.put, mutant.source),
      });
    }
    for (const mutant of comparison.extra) {
      extra.push({ task: task.task, operator: mutant.operator, ...changedLine(task.put, mutant.source) });
    }
  });
  const report: MutantMatchReport = {
    operators,
    normalisation: AST_NORMALISATION,
    tasks: rows,
    total: sumComparisons(rows.map((r) => r.comparison)),
    missing,
    extra,
  };
  return { report, generated };
}

function changedLine(put: string, mutant: string): { line: number; text: string } {
  const a = put.split(/\r\n|\r|\n/);
  const b = mutant.split(/\r\n|\r|\n/);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return { line: i + 1, text: (b[i] ?? '').trim() };
}

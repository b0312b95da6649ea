import { InvalidExecutionRequestError } from '../invalid-execution-request-error.ts';
import { MUTAP_OPERATORS, MUTATION_OPERATORS } from './mutation-operators.ts';
import { PutParseError } from './put-parse-error.ts';
import { type HelperOptions, type HelperParseError, runMutationHelper } from './run-mutation-helper.ts';

export interface GeneratedMutant {
  /** MutPy's operator code, e.g. 'AOR' (mutation-operators.ts). */
  operator: string;
  /** 1-based line of the PUT that changed (the first one, when a mutant changes or moves several). */
  line: number;
  /** The whole mutant program: the PUT with one operator applied at one node. */
  source: string;
}

export interface GenerateMutantsOptions extends HelperOptions {
  /** Operator codes, in the order mutants are listed; default MUTAP_OPERATORS (MutPy's standard set but CRP). */
  operators?: readonly string[];
}

/**
 * MutPy's first-order mutants of a Python program: one mutant per (operator, node, replacement), in MutPy's
 * order (operators as given, nodes in pre-order, replacements in MutPy's order). Each mutant is the PUT's own
 * text with the smallest edit whose parse is the mutated tree, so comments and docstrings stay as written.
 * Throws PutParseError when the PUT is not valid Python.
 */
export async function generateMutants(put: string, options: GenerateMutantsOptions = {}): Promise<GeneratedMutant[]> {
  const [result] = await generateMutantsForMany([put], options);
  if (result instanceof PutParseError) throw result;
  return result as GeneratedMutant[];
}

/**
 * generateMutants for many PUTs in one helper process; a PUT that does not parse gets its PutParseError in its
 * place and the others go on.
 */
export async function generateMutantsForMany(
  puts: readonly string[],
  options: GenerateMutantsOptions = {},
): Promise<(GeneratedMutant[] | PutParseError)[]> {
  const operators = options.operators ?? MUTAP_OPERATORS;
  const unknown = operators.filter((code) => !Object.hasOwn(MUTATION_OPERATORS, code));
  if (unknown.length > 0) {
    throw new InvalidExecutionRequestError(
      'operators',
      `unknown mutation operator ${unknown.join(', ')} (known: ${Object.keys(MUTATION_OPERATORS).join(', ')})`,
    );
  }
  const results = await runMutationHelper({ op: 'mutate', sources: puts, operators }, options);
  return results.map((result) =>
    result.ok
      ? result.mutants.map(({ operator, line, source }) => ({ operator, line, source }))
      : putParseError(result.error),
  );
}

export function putParseError(error: HelperParseError): PutParseError {
  return new PutParseError(error.message, error.line ?? undefined, error.column ?? undefined);
}

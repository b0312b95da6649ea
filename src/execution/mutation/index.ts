export {
  compareMutantSets,
  type MutantSetComparison,
  normaliseLayout,
  type OperatorMatchCounts,
  type ReleasedMutant,
  sumComparisons,
  UNLABELLED,
} from './compare-mutant-sets.ts';
export { formatMutantMatchTable } from './format-mutant-match-table.ts';
export {
  type GeneratedMutant,
  type GenerateMutantsOptions,
  generateMutants,
  generateMutantsForMany,
} from './generate-mutants.ts';
export {
  AST_NORMALISATION,
  type MutantMatchReport,
  type MutantMatchTask,
  measureMutantMatch,
  type UnmatchedMutant,
} from './measure-mutant-match.ts';
export { MutationEngineError } from './mutation-engine-error.ts';
export {
  MUTAP_OPERATORS,
  MUTATION_OPERATOR_CODES,
  MUTATION_OPERATORS,
  type MutationOperator,
  mutationOperatorSchema,
} from './mutation-operators.ts';
export { PutParseError } from './put-parse-error.ts';
export { createPythonNormaliser } from './python-normaliser.ts';

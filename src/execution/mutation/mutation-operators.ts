import { z } from 'zod';

/**
 * MutPy's standard (first-order) operators by their MutPy codes, with what each does (docs: techniques.md §3.2
 * stage 4). src/execution/mutation/mutate.py implements every one of them.
 */
export const MUTATION_OPERATORS = {
  AOD: 'arithmetic operator deletion: drop a unary + or -',
  AOR: 'arithmetic operator replacement: + and -, * to / // **, / to // *, // to / *, % to *, ** to *, unary - and +',
  ASR: 'assignment operator replacement: the AOR table on augmented assignments',
  BCR: 'break and continue swapped',
  COD: 'conditional operator deletion: drop not; not in to in',
  COI: 'conditional operator insertion: negate an if/while test; in to not in',
  CRP: 'constant replacement: number n to n + 1; string to mutpy (python if it is mutpy), non-empty string to empty',
  DDL: 'decorator deletion (all decorators of a function)',
  EHD: 'exception handler deletion: the handler body becomes raise',
  EXS: 'exception swallowing: the handler body becomes pass',
  IHD: 'hiding variable deletion: a class attribute that hides a base class one becomes pass',
  IOD: 'overriding method deletion: a method that overrides a base class one becomes pass',
  IOP: 'overridden method calling position change: the super() call moves to the other end of the body',
  LCR: 'logical connector replacement: and and or swapped',
  LOD: 'logical operator deletion: drop ~',
  LOR: 'logical operator replacement: & and | swapped, ^ to &, << and >> swapped',
  ROR: 'relational operator replacement: < to > <=, > to < >=, <= to >= <, >= to <= >, == and != swapped',
  SCD: 'super calling deletion: the super() call of a method becomes pass',
  SCI: 'super calling insertion: an overriding method without one gets a super() call first',
  SIR: 'slice index removal: drop the lower bound, the step or the upper bound',
} as const;

export type MutationOperator = keyof typeof MUTATION_OPERATORS;

export const MUTATION_OPERATOR_CODES = Object.keys(MUTATION_OPERATORS) as [MutationOperator, ...MutationOperator[]];

export const mutationOperatorSchema = z.enum(MUTATION_OPERATOR_CODES);

/**
 * The operators as MuTAP's MutPy run fired them: all but CRP. MutPy 0.6.1's CRP knows only ast.Num and ast.Str,
 * which Python >= 3.8 no longer produces (mutpy/mutpy#55), so none of the 1,260 released MuTAP mutants is a CRP
 * one. Ask for CRP explicitly to get constant mutants.
 */
export const MUTAP_OPERATORS: readonly MutationOperator[] = MUTATION_OPERATOR_CODES.filter((code) => code !== 'CRP');

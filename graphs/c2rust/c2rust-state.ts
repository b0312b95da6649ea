import { Annotation } from '@langchain/langgraph';
import type { CAnalysis } from '../../src/execution/c2rust/analyze-c-program.ts';
import type { COracle } from '../../src/execution/c2rust/check-c-oracle.ts';
import type { DifferentialResult } from '../../src/execution/c2rust/differential-tests.ts';
import type { BuildDiagnostic } from '../../src/techniques/c2rust/c2rust-feedback.ts';
import type { C2RustOutcome } from './c2rust-schemas.ts';

/** One piece of the crate: a translation unit, or the items of a repair after a test mismatch. */
export interface CratePiece {
  label: string;
  /** Unit index (1-based) for a unit; 0 for a test repair. */
  unit: number;
  functions: string[];
  code: string | null;
  attempts: number;
  built: boolean;
  /** C types and globals this unit was asked to define. */
  definesTypes: string[];
  definesGlobals: string[];
}

const replace = <T>(initial: T) => Annotation<T>({ reducer: (_old, next) => next, default: () => initial });

export const C2RustState = Annotation.Root({
  analysis: replace<CAnalysis | null>(null),
  oracle: replace<COracle | null>(null),
  pieces: replace<CratePiece[]>([]),
  /** Index into `pieces` of the piece the coder works on. */
  current: replace<number>(-1),
  /** Rendered prompt variables for the next coder call. */
  prompt: replace<Record<string, string> | null>(null),
  feedback: replace<string | null>(null),
  /** Symbols the coder asked for (`NEED: name`), answered by the planner; questions asked in the current unit. */
  asked: replace<string[]>([]),
  questions: replace<number>(0),
  lastBuild: replace<{ ok: boolean; diagnostics: BuildDiagnostic[] } | null>(null),
  firstBuild: replace<boolean | null>(null),
  lastTests: replace<DifferentialResult[] | null>(null),
  firstTestsEqual: replace<boolean | null>(null),
  crate: replace<string | null>(null),
  modules: replace<Record<string, string>>({}),
  outcome: replace<C2RustOutcome | null>(null),
  message: replace<string>(''),
  modelCalls: replace<number>(0),
  buildRepairs: replace<number>(0),
  testRepairs: replace<number>(0),
  buildMs: replace<number>(0),
  runMs: replace<number>(0),
});
export type C2RustStateValue = typeof C2RustState.State;

import { countVerdicts, type MutationCounts, type SuiteOnPut, suiteOnPutVerdict } from './mutation-score.ts';
import { type MutantVerdict, mutantVerdict, type RunScripts } from './script-outcome.ts';
import { scoringProgram } from './test-file.ts';

export interface SuiteScore {
  /** One verdict per mutant, in the given order. */
  verdicts: MutantVerdict[];
  counts: MutationCounts;
  /** The same test run against the unmutated PUT. */
  suiteOnPut: SuiteOnPut;
}

/**
 * Stage 5 for one test body: every mutant + `def test():` + body + `test()` as its own program (one batch: the
 * engine runs them in parallel, dedupes and caches them), then the same test on the PUT itself.
 */
export async function scoreSuite(
  run: RunScripts,
  input: { put: string; mutants: readonly string[]; body: string },
): Promise<SuiteScore> {
  const programs = [...input.mutants, input.put].map((subject) => scoringProgram(subject, input.body));
  const outcomes = await run(programs);
  const verdicts = outcomes.slice(0, input.mutants.length).map(mutantVerdict);
  return { verdicts, counts: countVerdicts(verdicts), suiteOnPut: suiteOnPutVerdict(outcomes.at(-1)!) };
}

import type { MokavLetters } from './config-letters.ts';
import type { StateDifference } from './state-difference.ts';

/**
 * What a feedback round tells the tester (techniques §2.4 step 6), before the wording (the tester's `feedback`
 * prompt): with E, the state difference, STILL computed on the example input although the wording says "your
 * generated input", and Q's printed output on x0, the first parseable sample of the previous round ('' when Q
 * printed nothing: it raised, timed out, or the round had no parseable sample). Without E, only the generic
 * "identical output, try another" text, even when the samples crashed or did not parse.
 */
export interface FeedbackFacts {
  stateDifference: StateDifference | null;
  /** Q's output on x0; null without E. */
  x0Output: string | null;
}

export function feedbackFacts(
  letters: MokavLetters,
  exampleDifference: StateDifference | null,
  x0Output: string | null,
): FeedbackFacts {
  if (!letters.execInfo) return { stateDifference: null, x0Output: null };
  return { stateDifference: exampleDifference, x0Output: x0Output ?? '' };
}

/** The state-difference sentences, in plain words; '' when there is nothing to say. */
export function stateSentences(difference: StateDifference | null, subject: string): string {
  if (!difference) return '';
  const lines: string[] = [];
  if (difference.original)
    lines.push(
      `On ${subject}, in the original version the variable \`${difference.original.variable}\` takes the value ` +
        `${difference.original.value}, which it never takes in the patched version.`,
    );
  if (difference.patched)
    lines.push(
      `On ${subject}, in the patched version the variable \`${difference.patched.variable}\` takes the value ` +
        `${difference.patched.value}, which it never takes in the original version.`,
    );
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

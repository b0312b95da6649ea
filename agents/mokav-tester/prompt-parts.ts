import type { MokavLetters } from '../../src/techniques/mokav/config-letters.ts';
import { type FeedbackFacts, stateSentences } from '../../src/techniques/mokav/feedback-facts.ts';
import type { PyValue } from '../../src/techniques/mokav/python-value.ts';
import { pyRepr } from '../../src/techniques/mokav/python-value.ts';

export interface InitialFacts {
  letters: MokavLetters;
  originalCode: string;
  patchedCode: string;
  /** D: the describer's text for each version. */
  descriptions: { original: string; patched: string } | null;
  exampleInput: PyValue | null;
  /** Q's printed output on the example input. */
  exampleOutput: string;
  /** E on the example input, already worded. */
  exampleState: string;
}

const fence = (code: string) => `\`\`\`python\n${code.trimEnd()}\n\`\`\`\n`;

/** The `{{versions}}`, `{{example}}` and `{{format}}` parts of the tester's initial prompt, by letter. */
export function initialPromptVars(facts: InitialFacts): Record<string, string> {
  const { letters } = facts;
  const described = (which: 'original' | 'patched') =>
    letters.description && facts.descriptions ? `What it is meant to do: ${facts.descriptions[which].trim()}\n\n` : '';
  const versions = letters.both
    ? `The original version of the program:\n${fence(facts.originalCode)}${described('original')}` +
      `The patched version of the program:\n${fence(facts.patchedCode)}${described('patched')}`
    : `The patched version of the program:\n${fence(facts.patchedCode)}${described('patched')}` +
      'The original version is slightly different from it and is not shown.\n\n';
  const example =
    letters.exampleInput && facts.exampleInput !== null
      ? `Both versions give identical output on this input: ${fence(`{'inputdata': ${pyRepr(facts.exampleInput)}}`)}` +
        (letters.execInfo ? `${facts.exampleState}The output of both on it is: ${facts.exampleOutput}\n\n` : '\n')
      : '';
  const format = letters.testFormat
    ? `Answer with one Python dict in exactly this format:\n${fence("{'inputdata': <inputdata>}")}\n`
    : '';
  return { versions, example, format };
}

/** The `{{state}}` and `{{output}}` parts of a feedback message (empty without E). */
export function feedbackPromptVars(facts: FeedbackFacts): Record<string, string> {
  return {
    state: stateSentences(facts.stateDifference, 'your generated input'),
    output: facts.x0Output === null ? '' : ` That output is: ${facts.x0Output}.`,
  };
}

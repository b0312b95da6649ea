/**
 * Mokav's configuration letters (techniques §2.3): a base, `BA` (both P's and Q's code in the prompt) or `AA` (only
 * Q, the Differential-Prompting setting), then any of D (descriptions), T (test-format instruction), I (example
 * input), E (execution information), each at most once. `BADTIE` is Mokav; `AAT` reproduces Differential Prompting.
 */
export interface MokavLetters {
  /** B: P's and Q's code; otherwise (AA) only Q's, with a note that a slightly different original exists. */
  both: boolean;
  /** D: a description of each version, from a separate model call. */
  description: boolean;
  /** T: the `{'inputdata': ...}` answer format. */
  testFormat: boolean;
  /** I: the example input, said to give identical output on both versions. */
  exampleInput: boolean;
  /** E: the first differing variable state, and Q's output on the example input and on x0. */
  execInfo: boolean;
}

export type LettersResult = { ok: true; letters: MokavLetters } | { ok: false; message: string };

const FLAGS: Record<string, keyof MokavLetters> = {
  D: 'description',
  T: 'testFormat',
  I: 'exampleInput',
  E: 'execInfo',
};

export function parseLetters(text: string): LettersResult {
  const base = text.slice(0, 2);
  if (base !== 'BA' && base !== 'AA')
    return { ok: false, message: `must start with BA (both versions) or AA (the patched version only), got '${text}'` };
  const letters: MokavLetters = {
    both: base === 'BA',
    description: false,
    testFormat: false,
    exampleInput: false,
    execInfo: false,
  };
  for (const letter of text.slice(2)) {
    const flag = FLAGS[letter];
    if (flag === undefined)
      return { ok: false, message: `unknown letter '${letter}' in '${text}' (known: BA or AA, then D, T, I, E)` };
    if (letters[flag]) return { ok: false, message: `letter '${letter}' twice in '${text}'` };
    letters[flag] = true;
  }
  return { ok: true, letters };
}

/** The letters back as text, in Mokav's order: `BADTIE`. */
export function formatLetters(letters: MokavLetters): string {
  return `${letters.both ? 'BA' : 'AA'}${letters.description ? 'D' : ''}${letters.testFormat ? 'T' : ''}${
    letters.exampleInput ? 'I' : ''
  }${letters.execInfo ? 'E' : ''}`;
}

import { TEST_HEADER } from './test-file.ts';

/**
 * Stage 7, the merge (techniques §3.2): append to the IUT every `assert` line longer than 10 characters from every
 * augmentation output, in order, duplicates kept (an output that repeats the IUT's asserts adds them again, as in
 * the released AUT files). Stage 3 then runs on the result. Lines are taken from the text after each output's
 * test header (the whole output when it has none), so asserts in a prompt echo before the header are not taken.
 */
export const MIN_ASSERT_LENGTH = 10;

export function augmentationAsserts(output: string): string[] {
  const at = output.indexOf(TEST_HEADER);
  const tail = at < 0 ? output : output.slice(at + TEST_HEADER.length);
  return tail
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^assert\b/.test(line) && line.length > MIN_ASSERT_LENGTH);
}

/** The IUT file with the augmentation asserts appended to its test function. */
export function mergeAugmentation(iut: string, outputs: readonly string[]): string {
  const added = outputs.flatMap(augmentationAsserts);
  if (added.length === 0) return iut;
  const base = iut.includes(TEST_HEADER) ? iut.replace(/\s*$/, '\n') : `${iut.replace(/\s*$/, '\n')}\n${TEST_HEADER}\n`;
  return `${base}${added.map((line) => `    ${line}\n`).join('')}`;
}

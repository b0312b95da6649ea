import { cutAtStopMarkers, pythonStrip } from './stop-markers.ts';

/**
 * Test extraction from one generated test sample, pure part (techniques §1.3).
 *
 * The sample continues a prompt ending in `assert `, so the text is prefixed with `assert ` and split on the
 * literal `assert `. Pieces that are blank or do not mention the entry point are dropped; the rest get their
 * `assert ` back, are cut at the stop markers and stripped, and must still contain `assert`.
 * `assert(x)` has no space, so it is never split out: it stays inside the preceding piece.
 *
 * One more rule needs Python: the assert must compile inside an indented `try:`/`except:` block. That check
 * lives in `src/execution/compile/python-compile-checker.ts` (one warm python3); `prepare-tests.ts` chains
 * extract → compile filter → limit. Call sites that compose by hand must filter before `limitTests`, because the
 * limit counts only valid asserts.
 */
export function extractTests(sample: string, entryPoint: string): string[] {
  const name = pythonStrip(entryPoint);
  const tests: string[] = [];
  for (const part of `assert ${sample}`.split('assert ')) {
    if (!part.includes(name) || pythonStrip(part).length === 0) continue;
    const test = pythonStrip(cutAtStopMarkers(pythonStrip(`assert ${part}`)));
    if (test.length === 0 || !test.includes('assert')) continue;
    tests.push(test);
  }
  return tests;
}

/** The block that Python must compile for an assert to count (the reference's validity check). */
export function testInTryBlock(test: string): string {
  return `try:\n    ${test.replaceAll('\n', '\n    ')}\nexcept:\n    pass\n`;
}

/** Drops the asserts that failed the compile check, keeping each sample's order. */
export function keepCompilable(
  testsPerSample: readonly (readonly string[])[],
  compiles: (test: string) => boolean,
): string[][] {
  return testsPerSample.map((tests) => tests.filter(compiles));
}

/** A multiset of test strings: test → number of occurrences, in order of first occurrence. */
export type TestMultiset = Map<string, number>;

/**
 * The test budget: the first `limitPerSample` asserts of each sample, then flattened across samples into a
 * multiset. Duplicates keep their count (it weighs in the score); execute only the distinct keys.
 */
export function limitTests(testsPerSample: readonly (readonly string[])[], limitPerSample: number): TestMultiset {
  const multiset: TestMultiset = new Map();
  for (const tests of testsPerSample) {
    for (const test of tests.slice(0, Math.max(0, limitPerSample))) {
      multiset.set(test, (multiset.get(test) ?? 0) + 1);
    }
  }
  return multiset;
}

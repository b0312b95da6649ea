import { cutAtStopMarkers } from './stop-markers.ts';

/**
 * Cleans one code sample (the continuation of the task prompt): cut at the earliest stop marker
 * (`\nclass`, `\ndef`, `\n#`, `\nif`, `\nprint`), no stripping. The program to run is `prompt + result`.
 */
export function truncateSolution(text: string): string {
  return cutAtStopMarkers(text);
}

/** What a task with no code samples gets: one completion that always fails, so the task still counts. */
export const EMPTY_SOLUTION_PLACEHOLDER = 'empty solution here, execution will fail';

/** Cleans every sample of a task; an empty sample list becomes the one failing placeholder. */
export function truncateSolutions(samples: readonly string[]): string[] {
  if (samples.length === 0) return [EMPTY_SOLUTION_PLACEHOLDER];
  return samples.map(truncateSolution);
}

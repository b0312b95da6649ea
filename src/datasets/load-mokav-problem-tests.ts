import { z } from 'zod';
import { RecordingFormatError } from '../models/recorded/recording-format-error.ts';
import { parseDatasetRow } from './parse-dataset-row.ts';
import { readDatasetText } from './read-dataset-lines.ts';

const testsSchema = z.record(z.string(), z.array(z.object({ id: z.string(), inputdata: z.string() })));

/** Official tests by problem id (`c4b_*_problem_tests.json[.gz]`): their inputs, in the problem's CSV order. */
export function loadMokavProblemTests(file: string): Map<string, string[]> {
  let value: unknown;
  try {
    value = JSON.parse(readDatasetText(file));
  } catch (error) {
    if (RecordingFormatError.isInstance(error)) throw error;
    throw new RecordingFormatError(file, undefined, undefined, `not valid JSON: ${(error as Error).message}`);
  }
  const tests = parseDatasetRow(testsSchema, file, undefined, value);
  return new Map(Object.entries(tests).map(([problem, list]) => [problem, list.map((t) => t.inputdata)]));
}

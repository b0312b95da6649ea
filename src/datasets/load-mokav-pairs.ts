import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RecordingFormatError } from '../models/recorded/recording-format-error.ts';
import { parseDatasetRow } from './parse-dataset-row.ts';
import { readDatasetJsonLines, readDatasetText } from './read-dataset-lines.ts';

/** A Mokav pair as the bench runs it: P (original) and Q (patched) as source, and the example input. */
export interface MokavPair {
  /** `problem_id,author` (C4B) or the program name (QuixBugs): the key of the released summaries. */
  key: string;
  /** C4B problem id (joins the official tests); the program name for QuixBugs. */
  problem: string;
  originalSource: string;
  patchedSource: string;
  /** The first official test, as Mokav showed it: a string (C4B) or the JSON arguments (QuixBugs). */
  exampleInput: unknown;
  /** `inputdata-string` for C4B replies, `whole-literal` for QuixBugs. */
  replyFormat: 'inputdata-string' | 'whole-literal';
}

const c4bPairSchema = z.object({
  problem_id: z.string(),
  author: z.string(),
  P_original_func: z.string(),
  Q_patched_func: z.string(),
  example_input: z.string(),
});

/**
 * Pairs from a C4B pairs file (`c4b_*_pairs.jsonl[.gz]`, one pair per line) or a QuixBugs directory in Mokav's port
 * layout (`python_programs/`, `correct_python_programs/`, `json_testcases/`: a program counts when all three hold it).
 * `only`: the QuixBugs programs to read (the port's minimum_spanning_tree test file, which Mokav's run excluded,
 * is not JSON).
 */
export function loadMokavPairs(path: string, only?: ReadonlySet<string>): MokavPair[] {
  if (existsSync(path) && statSync(path).isDirectory()) return loadQuixBugsPairs(path, only);
  const seen = new Set<string>();
  return readDatasetJsonLines(path).map(({ line, value }) => {
    const row = parseDatasetRow(c4bPairSchema, path, line, value);
    const key = `${row.problem_id},${row.author}`;
    if (seen.has(key)) throw new RecordingFormatError(path, line, 'author', `duplicate pair ${key}`);
    seen.add(key);
    return {
      key,
      problem: row.problem_id,
      originalSource: row.P_original_func,
      patchedSource: row.Q_patched_func,
      exampleInput: row.example_input,
      replyFormat: 'inputdata-string',
    };
  });
}

function loadQuixBugsPairs(dir: string, only?: ReadonlySet<string>): MokavPair[] {
  const programs = join(dir, 'python_programs');
  if (!existsSync(programs))
    throw new RecordingFormatError(dir, undefined, undefined, 'a QuixBugs directory needs python_programs/');
  return readdirSync(programs)
    .filter((name) => name.endsWith('.py'))
    .sort()
    .flatMap((file) => {
      const name = file.slice(0, -3);
      if (only && !only.has(name)) return [];
      const patched = join(dir, 'correct_python_programs', file);
      const tests = join(dir, 'json_testcases', `${name}.json`);
      if (!existsSync(patched) || !existsSync(tests)) return [];
      const firstLine = readDatasetText(tests).split('\n')[0] ?? '';
      let first: unknown;
      try {
        first = JSON.parse(firstLine);
      } catch (error) {
        throw new RecordingFormatError(tests, 1, undefined, `not valid JSON: ${(error as Error).message}`);
      }
      if (!Array.isArray(first) || first.length < 1)
        throw new RecordingFormatError(tests, 1, undefined, 'expected [arguments, expected output]');
      return [
        {
          key: name,
          problem: name,
          originalSource: readFileSync(join(programs, file), 'utf8'),
          patchedSource: readFileSync(patched, 'utf8'),
          // Mokav shows the first test's arguments as the example: {'inputdata': args}.
          exampleInput: first[0],
          replyFormat: 'whole-literal' as const,
        },
      ];
    });
}

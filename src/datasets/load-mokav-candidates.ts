import { z } from 'zod';
import { RecordingFormatError } from '../models/recorded/recording-format-error.ts';
import { parseDatasetRow } from './parse-dataset-row.ts';
import { readDatasetJsonLines } from './read-dataset-lines.ts';

/** One logged sample of a released Mokav run. */
export interface MokavLoggedSample {
  pair: string;
  /** 0-based round. */
  round: number;
  sample: number;
  response: string;
  /** Mokav's verdict; null when it did not run the sample (unparseable, or after its round's first DET). */
  verdict: string | null;
  /** Whether Mokav parsed an input from it. */
  parsed: boolean;
}

const recordSchema = z.object({
  pair: z.tuple([z.string(), z.string()]),
  iteration: z.number().int().nonnegative(),
  sample: z.number().int().nonnegative(),
  response: z.string(),
  input: z.unknown(),
  mokav_verdict: z.string().nullable(),
});

/** The pair key of a record: `problem_id,author` (C4B), or the program name (QuixBugs: `[name.py, name.py]`). */
export function loggedPairKey(pair: readonly [string, string]): string {
  return pair[0] === pair[1] && pair[0].endsWith('.py') ? pair[0].slice(0, -3) : `${pair[0]},${pair[1]}`;
}

/** Every sample of a candidates file (`c4b_*_candidates_<run>.jsonl[.gz]`), in log order. */
export function loadMokavCandidates(file: string): MokavLoggedSample[] {
  const seen = new Set<string>();
  return readDatasetJsonLines(file).map(({ line, value }) => {
    const row = parseDatasetRow(recordSchema, file, line, value);
    const pair = loggedPairKey(row.pair);
    const id = `${pair}#${row.iteration}#${row.sample}`;
    if (seen.has(id)) throw new RecordingFormatError(file, line, 'sample', `duplicate sample ${id}`);
    seen.add(id);
    return {
      pair,
      round: row.iteration,
      sample: row.sample,
      response: row.response,
      verdict: row.mokav_verdict,
      parsed: row.input !== null && row.input !== undefined,
    };
  });
}

/** Samples by `pair#round`, in sample order: what the recorded tester answers a round's call with. */
export function samplesByRound(samples: readonly MokavLoggedSample[]): Map<string, string[]> {
  const byRound = new Map<string, MokavLoggedSample[]>();
  for (const s of samples) {
    const key = `${s.pair}#${s.round}`;
    byRound.set(key, [...(byRound.get(key) ?? []), s]);
  }
  return new Map(
    [...byRound].map(([key, list]) => [key, list.sort((a, b) => a.sample - b.sample).map((s) => s.response)]),
  );
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mokavPipeline } from '../../../graphs/mokav/index.ts';
import { main } from '../../../src/cli/main.ts';
import { closeSharedPythonWorkerPool } from '../../../src/execution/batch/index.ts';
import { createRefinery } from '../../../src/runtime/create-refinery.ts';
import { captureOutput as capture } from '../../support/capture-output.ts';

// `refinery bench mokav` on a hand-written two-pair slice: its figures, and bad input exiting 2 with a message.
const refinery = createRefinery({ pipelines: [mokavPipeline] });
let dir: string;
const pair = (problem: string, author: string, q: string, p: string) => ({
  problem_id: problem,
  author,
  P_original_func: `def original_func(*args):\n\tglobal_list = []\n\t${p}\n\treturn global_list\n`,
  Q_patched_func: `def patched_func(*args):\n\tglobal_list = []\n\t${q}\n\treturn global_list\n`,
  example_input: '1',
});
const sample = (
  problem: string,
  author: string,
  iteration: number,
  s: number,
  response: string,
  verdict: string | null,
) => ({
  pair: [problem, author],
  iteration,
  sample: s,
  response,
  input: verdict === null && !response.includes('inputdata') ? null : 'x',
  mokav_verdict: verdict,
});
const jsonl = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mokav-bench-'));
  writeFileSync(
    join(dir, 'pairs.jsonl'),
    jsonl([
      pair('1', '1', 'global_list.append(int(args[0]) // 2)', 'global_list.append(int(args[0]) // 3)'),
      pair('2', '2', 'exit()', 'global_list.append(1)'),
    ]),
  );
  writeFileSync(
    join(dir, 'candidates.jsonl'),
    jsonl([
      sample('1', '1', 0, 0, "{'inputdata': '1'}", 'SAME'),
      sample('1', '1', 0, 1, 'nothing', null),
      sample('1', '1', 1, 0, "{'inputdata': '4'}", 'DET'),
      sample('1', '1', 1, 1, "{'inputdata': '5'}", null),
      sample('2', '2', 0, 0, "{'inputdata': '1'}", 'ERROR_IN_Q'),
      sample('2', '2', 0, 1, "{'inputdata': '2'}", 'ERROR_IN_Q'),
    ]),
  );
  writeFileSync(join(dir, 'bad-pairs.jsonl'), jsonl([{ ...pair('1', '1', 'pass', 'pass'), example_input: undefined }]));
});
afterAll(async () => {
  await closeSharedPythonWorkerPool();
  rmSync(dir, { recursive: true, force: true });
});

const bench = (...extra: string[]) =>
  capture(() =>
    main(
      [
        'bench',
        'mokav',
        '--config',
        'configs/mokav-badti.yaml',
        '--set',
        'options.samples=2',
        '--set',
        'execution.cache=false',
        '--candidates',
        join(dir, 'candidates.jsonl'),
        '--baseline',
        '0',
        '--json',
        ...extra,
      ],
      refinery,
    ),
  );

describe('refinery bench mokav', () => {
  it('replays the logged samples per pair and round: DET curve, verdicts, drops and agreement as JSON', async () => {
    const { code, stdout } = await bench('--pairs', join(dir, 'pairs.jsonl'));
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      pairs: 2,
      pairs_with_det: 1,
      verdicts: { SAME: 1, DET: 1, ERROR_IN_Q: 2 },
      parse_drops: 1,
      verdict_agreement: { compared: 4, agreed: 4 },
    });
    expect(report.by_round).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    for (const key of ['wall_s', 'runs', 'timeout_s']) expect(report).toHaveProperty(key);
  });

  it('a pair file with a missing field exits 2 naming the file, the line and the key', async () => {
    const { code, stderr } = await bench('--pairs', join(dir, 'bad-pairs.jsonl'));
    expect(code).toBe(2);
    expect(stderr).toContain(`${join(dir, 'bad-pairs.jsonl')}:1 (example_input)`);
  });

  it('an unknown configuration letter exits 2 naming options.letters', async () => {
    const { code, stderr } = await bench('--pairs', join(dir, 'pairs.jsonl'), '--set', 'options.letters=BADTX');
    expect(code).toBe(2);
    expect(stderr).toContain('options.letters');
    expect(stderr).toContain("unknown letter 'X'");
  });
});

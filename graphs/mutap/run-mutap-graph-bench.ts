import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedConfig } from '../../src/config/load-pipeline-config.ts';
import type { MutapPerTaskRow } from '../../src/datasets/mutap/load-mutap-per-task.ts';
import type { MutapDatasetTask } from '../../src/datasets/mutap/mutap-dataset-schema.ts';
import type { MatrixEngine } from '../../src/execution/matrix/matrix-engine.ts';
import { RecordedSamplesModel } from '../../src/models/recorded/recorded-samples-model.ts';
import type { PipelineCommandServices } from '../../src/runtime/pipeline-definition.ts';
import { silentProgress } from '../../src/runtime/progress-reporter.ts';
import { runPipeline } from '../../src/runtime/run-pipeline.ts';
import { splitAsserts } from '../../src/techniques/mutap/assert-statements.ts';
import { type MutationCounts, poolScores } from '../../src/techniques/mutap/mutation-score.ts';
import { splitTestFile } from '../../src/techniques/mutap/test-file.ts';
import { createMutapPipeline } from './mutap-pipeline.ts';
import type { MutapResult } from './mutap-result.ts';
import {
  RELEASED_SETTINGS,
  type ReleasedSetting,
  releasedSampleSource,
  releasedTask,
} from './released-sample-source.ts';

/** The released variant patterns of each setting's IUT and AUT (keys of ms_dev_totals.json). */
const RELEASED_FILES: Record<ReleasedSetting, { iut: string; aut: string }> = {
  'zero-shot': {
    iut: 'Codex/T_O_NDS_semticfixed_{t}.py',
    aut: 'Codex/T_O_NDS_Mut_all_semticfixed_{t}.py,Codex/T_O_NDS_semticfixed_{t}.py',
  },
  'few-shot': {
    iut: 'Codex/T_O_FS_semticfixed_{t}.py',
    aut: 'Codex/T_O_FS_Mut_all_semticfixed_{t}.py,Codex/T_O_FS_semticfixed_{t}.py',
  },
};

interface GraphTaskRow {
  task: string;
  status: string;
  result: MutapResult | null;
  /** The IUT's asserts equal the released IUT's (whitespace-normalised, as multisets). */
  iutRebuilt: boolean | null;
}

const normalised = (content: string | undefined): string[] | null => {
  const split = content === undefined ? null : splitTestFile(content);
  return split
    ? splitAsserts(split.body)
        .asserts.map((a) => a.replace(/\s+/g, ''))
        .sort()
    : null;
};

/**
 * `refinery bench mutap --run zero-shot|few-shot`: the MuTAP graph on every task of the slice, the tester answered
 * by the released Codex outputs (techniques §3.3), against the released mutants; per task and in total the IUT's and
 * the AUT's counts next to the released files' counts, and how many IUTs the oracle fix rebuilt.
 */
export async function runMutapGraphBench(input: {
  setting: ReleasedSetting;
  dataset: MutapDatasetTask[];
  tasksFile: string;
  perTask: MutapPerTaskRow[];
  loaded: LoadedConfig;
  configPath: string;
  set: string[];
  engine: MatrixEngine;
  services: PipelineCommandServices;
  outDir: string | undefined;
  json: boolean;
}): Promise<number> {
  const { setting, dataset, loaded } = input;
  const prefix = RELEASED_SETTINGS[setting];
  const model = new RecordedSamplesModel(releasedSampleSource(input.tasksFile, dataset, setting));
  const models = Object.fromEntries(Object.values(loaded.config.agents).map((agent) => [agent.model, model]));
  const pipeline = createMutapPipeline({ acquireEngine: () => ({ engine: input.engine, release() {} }) });
  const pipelines = input.services.pipelines.with(pipeline);
  const tasks = dataset.filter((t) => t.tests[`${prefix}_raw`] !== undefined);
  if (input.outDir) mkdirSync(join(input.outDir, 'trajectories'), { recursive: true });

  const started = performance.now();
  const rows: GraphTaskRow[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index]!;
      const run = await runPipeline({
        configPath: input.configPath,
        // The comparison is of the IUT and the AUT: minimisation (asserts × mutants, looping mutants at the CPU limit each) is off unless --set turns it on.
        set: ['options.minimise=none', ...input.set],
        task: releasedTask(task, setting),
        models,
        progress: silentProgress,
        pipelines,
        trajectoryPath: input.outDir ? join(input.outDir, 'trajectories', `${task.task}.jsonl`) : null,
      });
      const result = run.result as MutapResult | null;
      const ours = normalised(result?.scores[0]?.content);
      const theirs = normalised(task.tests[`${prefix}_initial`]?.content);
      rows[index] = {
        task: task.task,
        status: run.status,
        result,
        iutRebuilt: ours && theirs ? JSON.stringify(ours) === JSON.stringify(theirs) : ours === theirs ? true : null,
      };
      process.stderr.write(`[mutap] ${index + 1}/${tasks.length} ${run.summary}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, tasks.length) }, worker));
  const wallSeconds = (performance.now() - started) / 1000;

  const expected = new Map(input.perTask.map((row) => [`${row.testFile}\u0000${row.task}`, row.counts]));
  const files = RELEASED_FILES[setting];
  const stage = (round: 'iut' | 'aut') => {
    const suites = rows.flatMap((row) => {
      const score = round === 'iut' ? row.result?.scores[0] : row.result?.scores.at(-1);
      return score ? [{ counts: score.counts, suiteOnPut: score.suiteOnPut }] : [];
    });
    const releasedCounts = rows.flatMap((row) => {
      const counts = expected.get(`${files[round]}\u0000${row.task}`);
      return counts ? [{ counts, suiteOnPut: 'pass' as const }] : [];
    });
    return { ours: poolScores(suites), released: poolScores(releasedCounts).counts };
  };
  const iut = stage('iut');
  const aut = stage('aut');
  const rebuilt = rows.filter((r) => r.iutRebuilt === true).length;
  const compared = rows.filter((r) => r.iutRebuilt !== null).length;

  if (input.json) {
    process.stdout.write(
      `${JSON.stringify({
        setting,
        tasks: rows.length,
        iut: { ...iut.ours.counts, ms: iut.ours.ms, ms_clean: iut.ours.msClean, released: iut.released },
        aut: { ...aut.ours.counts, ms: aut.ours.ms, ms_clean: aut.ours.msClean, released: aut.released },
        iut_rebuilt: { rebuilt, compared },
        wall_s: Math.round(wallSeconds * 10) / 10,
        per_task: Object.fromEntries(
          rows.map((r) => [
            r.task,
            {
              status: r.status,
              iut: r.result?.scores[0]?.counts ?? null,
              aut: r.result?.scores.at(-1)?.counts ?? null,
              augmentation_calls: r.result?.augmentationCalls ?? 0,
              iut_rebuilt: r.iutRebuilt,
              problem: r.result?.problem ?? null,
            },
          ]),
        ),
      })}\n`,
    );
    return 0;
  }
  const c = (counts: MutationCounts | null | undefined) =>
    counts ? `${counts.killed}/${counts.survived}/${counts.problematic}/${counts.timeout}` : '-';
  const out = [
    `MuTAP graph, ${setting}, tester = the released Codex outputs (${prefix}_raw + augmentation outputs), released mutants`,
    '  task  IUT K/S/P/T (released)      AUT K/S/P/T (released)      calls  IUT rebuilt  status',
  ];
  for (const row of rows) {
    const first = row.result?.scores[0]?.counts;
    const last = row.result?.scores.at(-1)?.counts;
    const relIut = expected.get(`${files.iut}\u0000${row.task}`);
    const relAut = expected.get(`${files.aut}\u0000${row.task}`);
    out.push(
      `  ${row.task.padStart(4)}  ${`${c(first)} (${c(relIut)})`.padEnd(26)}  ${`${c(last)} (${c(relAut)})`.padEnd(26)}  ` +
        `${String(row.result?.augmentationCalls ?? 0).padStart(5)}  ${String(row.iutRebuilt ?? '-').padEnd(11)}  ${row.status}` +
        (row.result?.problem ? `: ${row.result.problem}` : ''),
    );
  }
  const pct = (v: number | null) => (v === null ? '-' : `${(100 * v).toFixed(1)}%`);
  out.push(
    `IUT: ${c(iut.ours.counts)} MS ${pct(iut.ours.ms)} clean ${pct(iut.ours.msClean)}   released files: ${c(iut.released)}`,
    `AUT: ${c(aut.ours.counts)} MS ${pct(aut.ours.ms)} clean ${pct(aut.ours.msClean)}   released files: ${c(aut.released)}`,
    `IUT rebuilt by the oracle fix (assert multisets equal): ${rebuilt}/${compared}; wall ${wallSeconds.toFixed(1)} s`,
    '',
  );
  process.stdout.write(out.join('\n'));
  return rows.some((r) => r.status === 'error') ? 3 : 0;
}

import type { MutapDatasetTask } from '../../src/datasets/mutap/mutap-dataset-schema.ts';
import type { SampleSource } from '../../src/models/recorded/sample-source.ts';
import { augmentRecordKey, type MutapTask } from './mutap-task.ts';

/** The released Codex settings: the zero-shot and the few-shot prompt. */
export const RELEASED_SETTINGS = { 'zero-shot': 'codex_zero', 'few-shot': 'codex_few' } as const;
export type ReleasedSetting = keyof typeof RELEASED_SETTINGS;

/**
 * MuTAP's released Codex outputs as the tester (techniques §3.3 "Replay sources"): the raw initial test file answers
 * the initial call; the raw augmentation outputs, an unordered set per task (the j → mutant mapping is lost), answer
 * the augmentation calls in file order. Tasks without a raw file are unknown keys.
 */
export function releasedSampleSource(
  label: string,
  tasks: readonly MutapDatasetTask[],
  setting: ReleasedSetting,
): SampleSource {
  const prefix = RELEASED_SETTINGS[setting];
  const samples = new Map<string, string[]>();
  for (const task of tasks) {
    const raw = task.tests[`${prefix}_raw`];
    if (!raw) continue;
    samples.set(task.task, [raw.content]);
    samples.set(
      augmentRecordKey(task.task),
      (task.augmentation_outputs[prefix] ?? []).map((output) => output.content),
    );
  }
  return {
    label: `${label} (${prefix} raw outputs)`,
    samplesFor: (agent, key) => (agent === 'tester' ? samples.get(key) : undefined),
  };
}

/** The MuTAP task for a slice task: its PUT, its released mutants, and as many augmentation calls as were released. */
export function releasedTask(task: MutapDatasetTask, setting: ReleasedSetting): MutapTask {
  return {
    id: task.task,
    put: task.put,
    mutants: task.mutants.map((m) => ({ source: m.code, operator: m.operator, name: m.name })),
    maxAugmentations: (task.augmentation_outputs[RELEASED_SETTINGS[setting]] ?? []).length,
  };
}

import type { TestFileKind } from '../../techniques/mutap/test-file.ts';
import type { MutapDatasetTask } from './mutap-dataset-schema.ts';

/**
 * The released test-file variants MuTAP's slice is scored on, as `ms_dev_totals.json` names them: a path pattern in
 * the task directory with `{t}` for the task number; `A,B` means A if the task has it, else B (the AUT falls back to
 * the IUT). The default variant list of `refinery bench mutap` when no totals file is at hand.
 */
export const MUTAP_RELEASED_VARIANTS = [
  'Codex/T_O_NDS_semticfixed_{t}.py',
  'Codex/T_O_NDS_Mut_all_semticfixed_{t}.py,Codex/T_O_NDS_semticfixed_{t}.py',
  'Codex/T_O_FS_semticfixed_{t}.py',
  'Codex/T_O_FS_Mut_all_semticfixed_{t}.py,Codex/T_O_FS_semticfixed_{t}.py',
  'llama/T_O_NDS_semticfixed_{t}.py',
  'llama/T_O_NDS_Mut_all_smtcfixd_{t}.py,llama/T_O_NDS_semticfixed_{t}.py',
  'llama/T_O_FS_semticfixed_{t}.py',
  'llama_T_O_NDS_mut_greedy.py',
  'llama_T_O_FS_mut_greedy.py',
  'T_O_NDS_mut_all_greedy.py',
  'T_O_FS_greedy.py',
  'T_O_NDS_greedy.py',
] as const;

export interface ResolvedTestFile {
  /** The `tests` key it was found under (`codex_zero_initial`, `greedy_T_O_NDS`, ...). */
  variant: string;
  file: string;
  content: string;
  kind: TestFileKind;
}

/** The task's file for a variant pattern, or null when the task has none of its alternatives. */
export function resolveTestVariant(task: MutapDatasetTask, pattern: string): ResolvedTestFile | null {
  for (const alternative of pattern.split(',')) {
    const file = alternative.trim().replaceAll('{t}', task.task);
    for (const [variant, test] of Object.entries(task.tests)) {
      if (test.file === file)
        return {
          variant,
          file,
          content: test.content,
          kind: variant.startsWith('greedy_') ? 'greedy' : 'test-function',
        };
    }
  }
  return null;
}

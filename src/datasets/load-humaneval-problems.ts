import { readJsonlFile, stringField } from '../models/recorded/read-jsonl-file.ts';
import { RecordingFormatError } from '../models/recorded/recording-format-error.ts';

export interface HumanEvalProblem {
  taskId: string;
  prompt: string;
  entryPoint: string;
  /** HumanEval `test` code defining `check(candidate)`. */
  test: string;
}

/** Reads a HumanEval-format task file (`task_id`, `prompt`, `entry_point`, `test`), in file order. */
export function loadHumanEvalProblems(file: string): HumanEvalProblem[] {
  const seen = new Set<string>();
  return readJsonlFile(file).map((row) => {
    const taskId = stringField(file, row, 'task_id');
    if (seen.has(taskId)) throw new RecordingFormatError(file, row.line, 'task_id', `duplicate task id '${taskId}'`);
    seen.add(taskId);
    return {
      taskId,
      prompt: stringField(file, row, 'prompt'),
      entryPoint: stringField(file, row, 'entry_point'),
      test: stringField(file, row, 'test'),
    };
  });
}

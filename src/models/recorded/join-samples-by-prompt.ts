import { readJsonlFile, stringArrayField, stringField } from './read-jsonl-file.ts';
import { RecordingFormatError } from './recording-format-error.ts';

/**
 * Released generations without task ids (`{"prompt", "samples"}` lines) joined to a task file
 * (`{"task_id", "prompt", ...}` lines) by exact equality of the prompt string. Returns task id → samples, in
 * the task file's order for tasks that have a generation line. A prompt matching no task is an error; two lines
 * with the same prompt have their samples concatenated.
 */
export function joinSamplesByPrompt(samplesFile: string, tasksFile: string): Map<string, string[]> {
  const taskIdByPrompt = new Map<string, string>();
  const order: string[] = [];
  for (const row of readJsonlFile(tasksFile)) {
    const prompt = stringField(tasksFile, row, 'prompt');
    const taskId = stringField(tasksFile, row, 'task_id');
    taskIdByPrompt.set(prompt, taskId);
    order.push(taskId);
  }
  const byTask = new Map<string, string[]>();
  for (const row of readJsonlFile(samplesFile)) {
    const prompt = stringField(samplesFile, row, 'prompt');
    const samples = stringArrayField(samplesFile, row, 'samples');
    const taskId = taskIdByPrompt.get(prompt);
    if (taskId === undefined) {
      throw new RecordingFormatError(samplesFile, row.line, 'prompt', `matches no task prompt in ${tasksFile} exactly`);
    }
    byTask.set(taskId, [...(byTask.get(taskId) ?? []), ...samples]);
  }
  const ordered = new Map<string, string[]>();
  for (const taskId of order) {
    const samples = byTask.get(taskId);
    if (samples !== undefined) ordered.set(taskId, samples);
  }
  return ordered;
}

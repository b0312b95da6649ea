import { isAbsolute, resolve } from 'node:path';
import { joinSamplesByPrompt } from './join-samples-by-prompt.ts';
import { readJsonlFile, stringArrayField } from './read-jsonl-file.ts';
import { RecordingFormatError } from './recording-format-error.ts';
import { type SampleSource, sampleSourceFromMap } from './sample-source.ts';

const JOIN_MARK = '?joinPromptsWith=';

/**
 * Opens the `recording:` of a `provider: recorded` model as a sample source. Two forms:
 * - `samples.jsonl`: lines `{"key": ..., "samples": [...]}` (`task_id` is accepted for `key`);
 * - `samples.jsonl?joinPromptsWith=tasks.jsonl`: released lines `{"prompt", "samples"}` joined to a task file
 *   by exact prompt (CodeT's format).
 * Relative paths resolve against `baseDir`.
 */
export function loadSampleSource(recording: string, baseDir: string): SampleSource {
  const [samplesFile, tasksFile] = recordingFiles(recording, baseDir);
  if (tasksFile !== undefined)
    return sampleSourceFromMap(`${samplesFile} joined to ${tasksFile}`, joinSamplesByPrompt(samplesFile, tasksFile));
  return sampleSourceFromMap(samplesFile, loadKeyedSamples(samplesFile));
}

/** The absolute files a `recording:` value reads: the samples file, then the tasks file it is joined to, if any. */
export function recordingFiles(recording: string, baseDir: string): [samples: string, tasks?: string] {
  const at = recording.indexOf(JOIN_MARK);
  const path = (file: string) => (isAbsolute(file) ? file : resolve(baseDir, file));
  if (at === -1) return [path(recording)];
  return [path(recording.slice(0, at)), path(recording.slice(at + JOIN_MARK.length))];
}

/** Lines `{"key"|"task_id": ..., "samples": [...]}` → key → samples (repeated keys concatenate). */
export function loadKeyedSamples(file: string): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const row of readJsonlFile(file)) {
    const key = row.value.key ?? row.value.task_id;
    if (typeof key !== 'string') {
      throw new RecordingFormatError(
        file,
        row.line,
        'key',
        'expected a string "key" (or "task_id"); prompt-keyed files need ?joinPromptsWith=TASKS.jsonl',
      );
    }
    byKey.set(key, [...(byKey.get(key) ?? []), ...stringArrayField(file, row, 'samples')]);
  }
  return byKey;
}

import { readFileSync } from 'node:fs';
import { RecordingFormatError } from '../../models/recorded/recording-format-error.ts';

/** One row of `ms_per_task_dev.csv`: a task's released kill counts for one test-file pattern (null: no usable test). */
export interface MutapPerTaskRow {
  testFile: string;
  task: string;
  mutants: number;
  counts: { killed: number; survived: number; problematic: number; timeout: number } | null;
  suiteOnPut: string | null;
}

/** Splits one CSV line (double-quoted fields may hold commas; `""` is a quote). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** Reads `ms_per_task_dev.csv` (columns test_file, task, n_mutants, killed, survived, problematic, timeout, suite_on_put). */
export function loadMutapPerTask(file: string): MutapPerTaskRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RecordingFormatError(
      file,
      undefined,
      undefined,
      `cannot read file (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = csvFields(lines[0] ?? '');
  const column = (name: string) => {
    const at = header.indexOf(name);
    if (at < 0) throw new RecordingFormatError(file, 1, name, `missing column '${name}'`);
    return at;
  };
  const at = {
    testFile: column('test_file'),
    task: column('task'),
    mutants: column('n_mutants'),
    killed: column('killed'),
    survived: column('survived'),
    problematic: column('problematic'),
    timeout: column('timeout'),
    suiteOnPut: column('suite_on_put'),
  };
  return lines.slice(1).map((line) => {
    const f = csvFields(line);
    const number = (i: number) => Number.parseInt(f[i] ?? '', 10);
    const empty = (f[at.killed] ?? '') === '';
    return {
      testFile: f[at.testFile] ?? '',
      task: f[at.task] ?? '',
      mutants: number(at.mutants),
      counts: empty
        ? null
        : {
            killed: number(at.killed),
            survived: number(at.survived),
            problematic: number(at.problematic),
            timeout: number(at.timeout),
          },
      suiteOnPut: (f[at.suiteOnPut] ?? '') || null,
    };
  });
}

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SampleSource } from '../models/recorded/sample-source.ts';

/** One task folder of the C-to-Rust data (`../shared/datasets/c2rust/{codenet,rosetta}/<task>/`). */
export interface C2RustTaskFolder {
  id: string;
  dir: string;
  /** `main.c` and the folder's own headers and other `.c` files. */
  files: Record<string, string>;
  /** From `tests.json` (CodeNet: `input` to stdin + "\n", or split on whitespace into argv, as meta.json says). */
  tests: { stdin?: string; args?: string[]; expected?: string }[];
  comparison: 'lines-stripped' | 'exact-stdout';
  /** A recorded translation (`rustmap_gpt4o.rs`, or the folder's only `.rs` file); undefined when none. */
  recording?: { file: string; text: string };
  /** meta.json, when present. */
  meta?: Record<string, unknown>;
}

const RECORDING_NAMES = ['rustmap_gpt4o.rs'];

/**
 * The task folders under `dir`: each sub-folder holding a `main.c` is a task; a sub-folder without one whose own
 * sub-folders hold tasks (a dataset root such as `c2rust/` with `codenet/` and `rosetta/`) is read one level down.
 */
export function listC2RustTaskFolders(dir: string): string[] {
  const out: string[] = [];
  const subdirs = (d: string) =>
    readdirSync(d)
      .sort()
      .map((name) => join(d, name))
      .filter((p) => statSync(p).isDirectory());
  if (existsSync(join(dir, 'main.c'))) return [dir];
  for (const sub of subdirs(dir)) {
    if (existsSync(join(sub, 'main.c'))) out.push(sub);
    else for (const inner of subdirs(sub)) if (existsSync(join(inner, 'main.c'))) out.push(inner);
  }
  return out;
}

/** Reads one task folder (see {@link C2RustTaskFolder}). */
export function loadC2RustTaskFolder(dir: string): C2RustTaskFolder {
  const names = readdirSync(dir).sort();
  const files: Record<string, string> = {};
  for (const name of names) if (/\.(c|h)$/.test(name)) files[name] = readFileSync(join(dir, name), 'utf8');
  const meta = existsSync(join(dir, 'meta.json'))
    ? (JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Record<string, unknown>)
    : undefined;
  const inputMode = meta?.input_mode === 'argv' ? 'argv' : 'stdin';
  const raw = existsSync(join(dir, 'tests.json'))
    ? (JSON.parse(readFileSync(join(dir, 'tests.json'), 'utf8')) as { input: string; output: string }[])
    : [];
  const tests = raw.map((t) =>
    inputMode === 'argv'
      ? { args: t.input.split(/\s+/).filter(Boolean), expected: t.output }
      : { stdin: `${t.input}\n`, expected: t.output },
  );
  const rsFiles = names.filter((n) => n.endsWith('.rs'));
  const recordingName =
    RECORDING_NAMES.find((n) => rsFiles.includes(n)) ?? (rsFiles.length === 1 ? rsFiles[0] : undefined);
  return {
    id: typeof meta?.id === 'string' ? meta.id : typeof meta?.task === 'string' ? meta.task : basename(dir),
    dir,
    files,
    tests,
    comparison: raw.length > 0 ? 'lines-stripped' : 'exact-stdout',
    ...(recordingName
      ? { recording: { file: join(dir, recordingName), text: readFileSync(join(dir, recordingName), 'utf8') } }
      : {}),
    ...(meta ? { meta } : {}),
  };
}

/**
 * The recorded translations as a model: the coder's first request for a task is answered with the task's
 * recorded file (as one ```rust block); a second request (a repair) has no recording.
 */
export function recordedTranslationSource(folders: readonly C2RustTaskFolder[]): SampleSource {
  const byId = new Map(folders.filter((f) => f.recording).map((f) => [f.id, f.recording!]));
  return {
    label: `recorded translations (${byId.size} task folder(s), e.g. ${[...byId.values()][0]?.file ?? 'none'})`,
    samplesFor: (agent, key) => {
      if (agent !== 'coder') return undefined;
      const recording = byId.get(key);
      if (!recording) return undefined;
      // A fence longer than any backtick run in the file, so the file comes back whole.
      const longest = Math.max(2, ...(recording.text.match(/`+/g) ?? []).map((run) => run.length));
      const fence = '`'.repeat(longest + 1);
      return [`${fence}rust\n${recording.text.replace(/\n?$/, '\n')}${fence}\n`];
    },
  };
}

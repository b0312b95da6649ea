import { compileLimits } from '../execution-limits.ts';
import type { C2RustWorkbench } from './c2rust-workbench.ts';
import { stepKey, toolVersion } from './c2rust-workbench.ts';

export type PreprocessOutcome =
  | { ok: true /** The user's code only: system-header content and line markers removed. */; text: string }
  | { ok: false; message: string };

/**
 * `gcc -E` on the program (its own headers beside it), then the line markers decide what stays: content from
 * system headers (flag 3) and from `<built-in>`/`<command-line>` goes, the markers themselves go. Cached by the
 * sources' hash and gcc's version.
 */
export async function preprocessC(
  bench: C2RustWorkbench,
  files: Record<string, string>,
  flags: readonly string[] = [],
  signal?: AbortSignal,
): Promise<PreprocessOutcome> {
  const key = stepKey('gcc-E', await toolVersion('c'), JSON.stringify(files), JSON.stringify(flags));
  return bench.cached(key, async () => {
    const outcome = await bench.step(
      'build',
      {
        language: 'c',
        files,
        argv: (toolchain) => [toolchain.tools.gcc ?? 'gcc', '-E', '-std=gnu17', ...flags, 'main.c'],
        limits: compileLimits,
      },
      signal,
    );
    if (outcome.exitCode !== 0 || outcome.timedOut) {
      const message = outcome.timedOut
        ? 'gcc -E exceeded the compile time limit'
        : outcome.stderr.trim().split('\n').slice(0, 6).join('\n') || `gcc -E exited with ${outcome.exitCode}`;
      return { ok: false as const, message };
    }
    return { ok: true as const, text: stripSystemContent(outcome.stdout) };
  });
}

const MARKER = /^#\s+(\d+)\s+"((?:[^"\\]|\\.)*)"((?:\s+\d)*)\s*$/;

/** Keeps the lines that come from the user's files; blank lines stand in for dropped ones inside them. */
export function stripSystemContent(preprocessed: string): string {
  const out: string[] = [];
  let keep = true;
  for (const line of preprocessed.split('\n')) {
    const marker = MARKER.exec(line);
    if (marker) {
      const file = marker[2]!;
      const flags = (marker[3] ?? '').trim().split(/\s+/);
      keep = !flags.includes('3') && !file.startsWith('<') && !file.startsWith('/usr/');
      continue;
    }
    if (keep) out.push(line);
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

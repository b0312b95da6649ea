/**
 * What differs between two runs of the same program and must not reach a recorded prompt: where it ran and where
 * its objects lived. Every TypeScript caller scrubs program output here. (The Python test harness, run-tests.py,
 * removes addresses from the values it reports itself, with the same ` at 0x...` pattern.)
 */

const ABSOLUTE_PATH = /(["'\s(]|^)\/(?:[^\s"':)]+\/)+([^\s"':)/]+)/gm;
const OBJECT_ADDRESS = / at 0x[0-9a-fA-F]+/g;

/** Any absolute path becomes `<path>/<file name>`; object addresses (` at 0x7f...`) are removed. */
export function scrubVolatile(text: string): string {
  return text.replace(ABSOLUTE_PATH, '$1<path>/$2').replace(OBJECT_ADDRESS, '');
}

export interface ScrubWorkdirOptions {
  /** Also drop `file://<workdir>/` (Node's ES-module stack frames), before the plain path. Default false. */
  fileUrls?: boolean;
}

/**
 * Paths inside a run's own working directory become relative to it: `<workdir>/a/b.py` → `a/b.py`, the
 * directory itself → `.`.
 */
export function scrubWorkdir(text: string, workdir: string, options: ScrubWorkdirOptions = {}): string {
  const withoutUrls = options.fileUrls ? text.split(`file://${workdir}/`).join('') : text;
  return withoutUrls.split(`${workdir}/`).join('').split(workdir).join('.');
}

import { startProcess } from '../execution/process/start-process.ts';

/** Waits this long for the opener (xdg-open, open) to hand the file over before leaving it running. */
const OPENER_WAIT_MS = 5000;

/**
 * Opens a file in the desktop's default browser (`open` on macOS, `xdg-open` elsewhere) through the process
 * layer. Resolves with a problem to report, or null once the opener accepted the file.
 */
export async function openInBrowser(file: string): Promise<string | null> {
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  let started: ReturnType<typeof startProcess>;
  try {
    started = startProcess([opener, file], { cwd: process.cwd(), env });
  } catch (error) {
    return `cannot run ${opener}: ${(error as Error).message}`;
  }
  const { child } = started;
  child.stdin.end();
  child.stdout.resume();
  child.stderr.resume();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.unref();
      resolve(null);
    }, OPENER_WAIT_MS);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(
        error.code === 'ENOENT' ? `${opener} is not installed: open the file by hand` : `${opener}: ${error.message}`,
      );
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? null : `${opener} exited with status ${code}: open the file by hand`);
    });
  });
}

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZYGOTE_SCRIPT, type ZygoteReply } from '../src/execution/batch/python-worker.ts';

/** The answer of one fresh-process run (the zygote script's `--single` mode): a zygote reply without its job id. */
export type NaiveReply = Omit<ZygoteReply, 'id'>;

export type NaiveJob =
  | { op: 'matrix'; tests: string[]; timeout: number; program: string; limit: number }
  | { op: 'program'; source: string; timeout: number; limit: number };

/** Interpreter start-up is not part of the job's limit; the process gets this much extra before it is killed. */
const STARTUP_ALLOWANCE_MS = 1000;

/**
 * CodeT's harness design: a fresh `python3` process per completion, no warm state, no fork server, no sandbox.
 * The process limit is checked on the job's own elapsed time; a process still running at limit + start-up
 * allowance is killed (a lost vector / timeout).
 */
export async function runNaive(python: string, job: NaiveJob): Promise<NaiveReply> {
  const dir = await mkdtemp(join(tmpdir(), 'refinery-naive-'));
  try {
    return await new Promise<NaiveReply>((resolve) => {
      const child = spawn(python, ['-s', '-B', ZYGOTE_SCRIPT, '--single'], {
        cwd: dir,
        env: {
          PATH: '/usr/bin:/bin',
          LANG: 'C.UTF-8',
          HOME: dir,
          TMPDIR: dir,
          PYTHONHASHSEED: '0',
          PYTHONDONTWRITEBYTECODE: '1',
        },
        stdio: ['pipe', 'pipe', 'ignore'],
        detached: true,
      });
      let out = '';
      let killed = false;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      const lost = (): NaiveReply => ({
        status: job.op === 'matrix' ? 'overrun' : 'timeout',
        error: 'ProcessLimit',
        ms: job.limit * 1000,
      });
      const timer = setTimeout(
        () => {
          killed = true;
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        },
        job.limit * 1000 + STARTUP_ALLOWANCE_MS,
      );
      child.on('close', () => {
        clearTimeout(timer);
        if (killed) return resolve(lost());
        let reply: NaiveReply;
        try {
          reply = JSON.parse(out) as NaiveReply;
        } catch {
          return resolve({ status: 'crashed', error: 'NoResult', ms: 0 });
        }
        resolve(reply.ms > job.limit * 1000 ? lost() : reply);
      });
      child.stdin.on('error', () => {});
      child.stdin.end(JSON.stringify(job.op === 'matrix' ? { ...job, suite: 'naive' } : job));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs jobs `concurrency` at a time, in order. */
export async function runNaiveAll(
  python: string,
  jobs: readonly NaiveJob[],
  concurrency: number,
): Promise<NaiveReply[]> {
  const replies: NaiveReply[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const i = next++;
        replies[i] = await runNaive(python, jobs[i]!);
      }
    }),
  );
  return replies;
}

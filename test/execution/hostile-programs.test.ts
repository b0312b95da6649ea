import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/execution/create-executor.ts';
import type { ExecutionLimits, Executor, SandboxMode, SandboxSetting } from '../../src/execution/execution-types.ts';
import { FALLBACK_WARNING, resetFallbackWarning } from '../../src/execution/fallback-warning.ts';
import { sandboxHere, sandboxHereLabel } from '../support/sandbox-under-test.ts';

const asRoot = process.getuid?.() === 0;
const FAST: Partial<ExecutionLimits> = { wallMs: 1500, processes: 64 };

/** Live processes whose command line contains `marker` (zombies have an empty cmdline and never match). */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes(marker)) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

interface Sentinel {
  path: string;
  contents: string;
  mtimeMs: number;
}

function plantSentinel(dir: string, marker: string): Sentinel {
  const path = join(dir, `refinery-sentinel-${marker}`);
  const contents = `sentinel ${marker}\n`;
  writeFileSync(path, contents, { mode: 0o644 });
  return { path, contents, mtimeMs: statSync(path).mtimeMs };
}

function expectUntouched(s: Sentinel): void {
  expect(readFileSync(s.path, 'utf8')).toBe(s.contents);
  expect(statSync(s.path).mtimeMs).toBe(s.mtimeMs);
}

/**
 * What docs/execution.md says a mode protects against ("bwrap", and "What fallback mode does not protect
 * against"). Where a mode promises nothing, the test checks the documented exposure, so the doc stays true.
 */
function promisesOf(mode: SandboxMode) {
  const sandboxed = mode === 'bwrap';
  return {
    /** No connection reaches a listener on the host's loopback. */
    network: sandboxed,
    /** No new file appears in the real /tmp. */
    newFilesInTmp: sandboxed,
    /** $HOME and the caller's files (the sentinels, the working directory's parent) stay as they are. */
    callerFiles: sandboxed || asRoot,
    /** Processes that leave the process group (setsid, double fork) are killed with the run. */
    escapedProcesses: sandboxed || asRoot,
  };
}

const caller = asRoot ? 'root caller' : 'non-root caller';

/**
 * sandbox=auto is what a config gets by default: bubblewrap where it works, else the rlimit-only fallback; the
 * suite's name says which one this machine gave. sandbox=none is the fallback on any machine.
 */
const modes: { sandbox: SandboxSetting; mode: SandboxMode; label: string }[] = [
  { sandbox: 'auto', mode: sandboxHere, label: `sandbox=auto (${sandboxHereLabel})` },
  { sandbox: 'none', mode: 'rlimit-only', label: 'sandbox=none (rlimit-only fallback)' },
];

for (const { sandbox, mode, label } of modes)
  describe(`hostile programs, ${label}`, () => {
    const promises = promisesOf(mode);
    const fallback = `documented for the rlimit-only fallback, ${caller}`;
    const marker = `hostile${randomBytes(6).toString('hex')}`;
    const warnings: string[] = [];
    let executor: Executor;
    let tmpSentinel: Sentinel;
    let homeSentinel: Sentinel;

    function plantSentinels(): void {
      tmpSentinel = plantSentinel(tmpdir(), marker);
      homeSentinel = plantSentinel(homedir(), marker);
    }

    beforeAll(() => {
      resetFallbackWarning();
      executor = createExecutor({ sandbox, defaults: FAST, onWarning: (msg) => warnings.push(msg) });
      plantSentinels();
    });

    afterAll(() => {
      for (const dir of [tmpdir(), homedir()]) {
        for (const name of [`refinery-sentinel-${marker}`, `pwned-${marker}`]) rmSync(join(dir, name), { force: true });
      }
    });

    async function python(source: string, limits: Partial<ExecutionLimits> = {}) {
      return executor.run({ language: 'python', source, args: [marker], limits });
    }

    /**
     * After every hostile run: nothing with the marker is alive, sentinels hold, and the engine still works, in the
     * mode this suite is about.
     */
    async function expectCleanAfterwards(): Promise<void> {
      expect(processesWith(marker)).toEqual([]);
      expectUntouched(tmpSentinel);
      expectUntouched(homeSentinel);
      const normal = await executor.run({
        language: 'python',
        source: 'print(sum(range(10)))',
        expectedStdout: '45\n',
      });
      expect(normal.verdict).toBe('passed');
      expect(normal.sandbox).toBe(mode);
    }

    it(mode === 'rlimit-only' ? 'warns once that only rlimits apply' : 'emits no fallback warning', () => {
      if (mode === 'rlimit-only') {
        expect(warnings).toEqual([FALLBACK_WARNING]);
        createExecutor({ sandbox, onWarning: (msg) => warnings.push(msg) });
        expect(warnings).toHaveLength(1);
      } else {
        expect(warnings).toEqual([]);
      }
    });

    it('fork bomb: timeout, every process gone', async () => {
      const r = await python(
        'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n',
        { processes: 32 },
      );
      expect(r.verdict).toBe('timeout');
      await expectCleanAfterwards();
    });

    it('infinite loop: timeout', async () => {
      const r = await python('while True:\n    pass\n', { wallMs: 1000 });
      expect(r.verdict).toBe('timeout');
      await expectCleanAfterwards();
    });

    it('10 GB allocation: memory', async () => {
      const r = await python('block = bytearray(10 * 1024 ** 3)\nprint(len(block))\n');
      expect(r.verdict).toBe('memory');
      expect(r.error?.type).toBe('MemoryError');
      await expectCleanAfterwards();
    });

    it('1 GB to stdout: killed at the output cap, capture capped', async () => {
      const r = await python(
        'import sys\nchunk = "x" * (1 << 20)\nfor _ in range(1024):\n    sys.stdout.write(chunk)\n',
        {
          outputBytes: 64 * 1024,
        },
      );
      expect(r.verdict).toBe('error');
      expect(r.error?.type).toBe('OutputLimitExceeded');
      expect(r.stdoutTruncated).toBe(true);
      expect(r.stdout.length).toBe(64 * 1024);
      await expectCleanAfterwards();
    });

    it(
      promises.network
        ? 'network connection: refused in the sandbox'
        : `network connection: reaches the host (${fallback})`,
      async () => {
        const accepted: number[] = [];
        let firstConnection!: () => void;
        const connected = new Promise<void>((resolve) => {
          firstConnection = resolve;
        });
        const server: Server = createServer((socket) => {
          accepted.push(1);
          firstConnection();
          socket.destroy();
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const port = (server.address() as { port: number }).port;
        try {
          const r = await python(
            `import socket\ns = socket.create_connection(("127.0.0.1", ${port}), timeout=1)\nprint("connected")\n`,
          );
          if (promises.network) {
            expect(r.verdict).toBe('error');
            expect(r.error?.type).toMatch(/ConnectionRefusedError|OSError|TimeoutError/);
            expect(r.stdout).not.toContain('connected');
            expect(accepted).toEqual([]);
          } else {
            expect(r.verdict).toBe('passed');
            expect(r.stdout).toBe('connected\n');
            await connected;
            expect(accepted).toEqual([1]);
          }
        } finally {
          server.close();
        }
        await expectCleanAfterwards();
      },
    );

    const writesTitle =
      promises.callerFiles && promises.newFilesInTmp
        ? 'writes to $HOME and /tmp outside the working directory change nothing'
        : promises.callerFiles
          ? `writes outside the working directory: $HOME and existing files unchanged, a new file in /tmp created (${fallback})`
          : `writes outside the working directory succeed wherever the caller may write, $HOME included (${fallback})`;
    it(writesTitle, async () => {
      const home = homedir();
      const tmp = tmpdir();
      const newInHome = join(home, `pwned-${marker}`);
      const newInTmp = join(tmp, `pwned-${marker}`);
      const source = [
        'import sys',
        `targets = [${JSON.stringify(newInHome)}, ${JSON.stringify(newInTmp)},`,
        `           ${JSON.stringify(homeSentinel.path)}, ${JSON.stringify(tmpSentinel.path)}]`,
        'for t in targets:',
        '    try:',
        '        with open(t, "a") as f:',
        '            f.write("pwned")',
        '        print("wrote", t)',
        '    except OSError as e:',
        '        print("blocked", t, type(e).__name__)',
      ].join('\n');
      const r = await python(source);
      expect(r.verdict).toBe('passed');
      if (promises.callerFiles) {
        expect(existsSync(newInHome)).toBe(false);
        expectUntouched(homeSentinel);
        expectUntouched(tmpSentinel);
      } else {
        // Without bubblewrap a non-root caller's program writes everything the caller can.
        expect(readFileSync(newInHome, 'utf8')).toBe('pwned');
        expect(readFileSync(homeSentinel.path, 'utf8')).toBe(`${homeSentinel.contents}pwned`);
        expect(readFileSync(tmpSentinel.path, 'utf8')).toBe(`${tmpSentinel.contents}pwned`);
        rmSync(newInHome, { force: true });
        plantSentinels();
      }
      // /tmp is world-writable, so without the sandbox's private /tmp even a run uid of its own can add a file there.
      expect(existsSync(newInTmp)).toBe(!promises.newFilesInTmp);
      rmSync(newInTmp, { force: true });
      await expectCleanAfterwards();
    });

    it('reading an API key from the environment finds nothing', async () => {
      const secret = `sk-${marker}`;
      const names = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GITHUB_TOKEN', 'REFINERY_TEST_SECRET'];
      for (const n of names) process.env[n] = secret;
      try {
        const r = await python('import os\nfor k, v in sorted(os.environ.items()):\n    print(k, v)\n');
        expect(r.verdict).toBe('passed');
        expect(r.stdout).not.toContain(secret);
        for (const n of names) expect(r.stdout).not.toContain(n);
        expect(r.stdout).toMatch(/^HOME /m);
        expect(r.stdout).toMatch(/^PATH /m);
      } finally {
        for (const n of names) delete process.env[n];
      }
      await expectCleanAfterwards();
    });

    const detachedTitle = promises.escapedProcesses
      ? 'a detached child that outlives its parent is killed'
      : `a detached child that outlives its parent survives the run (${fallback})`;
    it(detachedTitle, async () => {
      // The parent waits for the child, which forks the detached grandchild before exiting: the grandchild exists
      // before the run ends, whatever the scheduling.
      const source = [
        'import os, time',
        'child = os.fork()',
        'if child == 0:',
        '    os.setsid()',
        '    if os.fork() == 0:',
        '        time.sleep(60)',
        '    os._exit(0)',
        'os.waitpid(child, 0)',
        'print("parent done")',
      ].join('\n');
      const r = await python(source);
      expect(r.verdict).toBe('passed');
      expect(r.stdout).toBe('parent done\n');
      if (!promises.escapedProcesses) {
        const strays = processesWith(marker);
        expect(strays).toHaveLength(1);
        for (const pid of strays) process.kill(pid, 'SIGKILL');
        while (processesWith(marker).length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await expectCleanAfterwards();
    });

    const parentTitle = promises.callerFiles
      ? "deleting the working directory's parent fails"
      : `deleting the working directory's parent succeeds (${fallback})`;
    it(parentTitle, async () => {
      const source = [
        'import os, shutil',
        'open("inside.txt", "w").write("x")',
        'parent = os.path.dirname(os.getcwd())',
        'shutil.rmtree(parent, ignore_errors=True)',
        'print("parent survived" if os.path.isdir(parent) else "parent deleted")',
      ].join('\n');
      const r = await python(source);
      expect(r.verdict).toBe('passed');
      expect(r.stdout).toBe(promises.callerFiles ? 'parent survived\n' : 'parent deleted\n');
      await expectCleanAfterwards();
    });

    it('sleeping past the wall limit (in a child shell too): timeout, group killed', async () => {
      const r = await python(`import subprocess\nsubprocess.run(["sh", "-c", "sleep 30; echo ${marker}"])\n`, {
        wallMs: 1000,
      });
      expect(r.verdict).toBe('timeout');
      expect(r.durationMs).toBeGreaterThanOrEqual(1000);
      await expectCleanAfterwards();
    });
  });

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/execution/create-executor.ts';
import type { ExecutionLimits, Executor } from '../../src/execution/execution-types.ts';
import { FALLBACK_WARNING, resetFallbackWarning } from '../../src/execution/fallback-warning.ts';
import { bubblewrapAvailable } from '../../src/execution/sandbox/sandbox-command.ts';

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

const modes = [
  { sandbox: 'bwrap' as const, isolated: true, enabled: bubblewrapAvailable() },
  { sandbox: 'none' as const, isolated: false, enabled: true },
];

describe.each(modes)('hostile programs, sandbox=$sandbox', ({ sandbox, isolated, enabled }) => {
  const marker = `hostile${randomBytes(6).toString('hex')}`;
  const warnings: string[] = [];
  let executor: Executor;
  let tmpSentinel: Sentinel;
  let homeSentinel: Sentinel;

  beforeAll(() => {
    if (!enabled) return;
    resetFallbackWarning();
    executor = createExecutor({ sandbox, defaults: FAST, onWarning: (msg) => warnings.push(msg) });
    tmpSentinel = plantSentinel(tmpdir(), marker);
    homeSentinel = plantSentinel(homedir(), marker);
  });

  afterAll(() => {
    for (const dir of [tmpdir(), homedir()]) {
      for (const name of [`refinery-sentinel-${marker}`, `pwned-${marker}`]) rmSync(join(dir, name), { force: true });
    }
  });

  async function python(source: string, limits: Partial<ExecutionLimits> = {}) {
    return executor.run({ language: 'python', source, args: [marker], limits });
  }

  /** After every hostile run: nothing with the marker is alive, sentinels hold, and the engine still works. */
  async function expectCleanAfterwards(): Promise<void> {
    expect(processesWith(marker)).toEqual([]);
    expectUntouched(tmpSentinel);
    expectUntouched(homeSentinel);
    const normal = await executor.run({ language: 'python', source: 'print(sum(range(10)))', expectedStdout: '45\n' });
    expect(normal.verdict).toBe('passed');
  }

  it.runIf(enabled)(sandbox === 'none' ? 'warns once that only rlimits apply' : 'emits no fallback warning', () => {
    if (sandbox === 'none') {
      expect(warnings).toEqual([FALLBACK_WARNING]);
      createExecutor({ sandbox, onWarning: (msg) => warnings.push(msg) });
      expect(warnings).toHaveLength(1);
    } else {
      expect(warnings).toEqual([]);
    }
  });

  it.runIf(enabled)('fork bomb: timeout, every process gone', async () => {
    const r = await python('import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n', { processes: 32 });
    expect(r.verdict).toBe('timeout');
    await expectCleanAfterwards();
  });

  it.runIf(enabled)('infinite loop: timeout', async () => {
    const r = await python('while True:\n    pass\n', { wallMs: 1000 });
    expect(r.verdict).toBe('timeout');
    await expectCleanAfterwards();
  });

  it.runIf(enabled)('10 GB allocation: memory', async () => {
    const r = await python('block = bytearray(10 * 1024 ** 3)\nprint(len(block))\n');
    expect(r.verdict).toBe('memory');
    expect(r.error?.type).toBe('MemoryError');
    await expectCleanAfterwards();
  });

  it.runIf(enabled)('1 GB to stdout: killed at the output cap, capture capped', async () => {
    const r = await python('import sys\nchunk = "x" * (1 << 20)\nfor _ in range(1024):\n    sys.stdout.write(chunk)\n', {
      outputBytes: 64 * 1024,
    });
    expect(r.verdict).toBe('error');
    expect(r.error?.type).toBe('OutputLimitExceeded');
    expect(r.stdoutTruncated).toBe(true);
    expect(r.stdout.length).toBe(64 * 1024);
    await expectCleanAfterwards();
  });

  it.runIf(enabled)('network connection: refused in the sandbox', async () => {
    const accepted: number[] = [];
    const server: Server = createServer((socket) => {
      accepted.push(1);
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await python(`import socket\ns = socket.create_connection(("127.0.0.1", ${port}), timeout=1)\nprint("connected")\n`);
      if (isolated) {
        expect(r.verdict).toBe('error');
        expect(r.error?.type).toMatch(/ConnectionRefusedError|OSError|TimeoutError/);
        expect(r.stdout).not.toContain('connected');
        expect(accepted).toEqual([]);
      } else {
        // Fallback mode promises no network isolation; the run must still end normally.
        expect(['passed', 'error']).toContain(r.verdict);
      }
    } finally {
      server.close();
    }
    await expectCleanAfterwards();
  });

  it.runIf(enabled)('writes to $HOME and /tmp outside the working directory change nothing', async () => {
    const home = homedir();
    const tmp = tmpdir();
    const source = [
      'import sys',
      `targets = [${JSON.stringify(join(home, `pwned-${marker}`))}, ${JSON.stringify(join(tmp, `pwned-${marker}`))},`,
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
    expect(existsSync(join(home, `pwned-${marker}`))).toBe(false);
    if (isolated) expect(existsSync(join(tmp, `pwned-${marker}`))).toBe(false);
    // Without bwrap, /tmp is world-writable, so a new file there is possible; existing files of others are not.
    rmSync(join(tmp, `pwned-${marker}`), { force: true });
    await expectCleanAfterwards();
  });

  it.runIf(enabled)('reading an API key from the environment finds nothing', async () => {
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

  it.runIf(enabled && (isolated || asRoot))('a detached child that outlives its parent is killed', async () => {
    const source = [
      'import os, time',
      'if os.fork() == 0:',
      '    os.setsid()',
      '    if os.fork() == 0:',
      '        time.sleep(60)',
      '    os._exit(0)',
      'time.sleep(0.2)',
      'print("parent done")',
    ].join('\n');
    const r = await python(source);
    expect(r.verdict).toBe('passed');
    expect(r.stdout).toBe('parent done\n');
    await expectCleanAfterwards();
  });

  it.runIf(enabled && (isolated || asRoot))("deleting the working directory's parent fails", async () => {
    const source = [
      'import os, shutil',
      'open("inside.txt", "w").write("x")',
      'parent = os.path.dirname(os.getcwd())',
      'shutil.rmtree(parent, ignore_errors=True)',
      'print("parent survived" if os.path.isdir(parent) else "parent deleted")',
    ].join('\n');
    const r = await python(source);
    expect(r.verdict).toBe('passed');
    expect(r.stdout).toBe('parent survived\n');
    await expectCleanAfterwards();
  });

  it.runIf(enabled)('sleeping past the wall limit (in a child shell too): timeout, group killed', async () => {
    const r = await python(`import subprocess\nsubprocess.run(["sh", "-c", "sleep 30; echo ${marker}"])\n`, { wallMs: 1000 });
    expect(r.verdict).toBe('timeout');
    expect(r.durationMs).toBeGreaterThanOrEqual(1000);
    await expectCleanAfterwards();
  });
});

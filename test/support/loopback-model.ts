import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { type OpenAiWireServer, startOpenAiWireServer } from '../../src/testing/wire-servers/openai-wire-server.ts';
import {
  BUGGY_CODER_REPLY,
  FIXED_CODER_REPLY,
  PLANNER_REPLY,
  TESTER_REPLY,
} from '../graphs/refine/support/running-max-replies.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const KILL_PRELOAD = resolve(import.meta.dirname, 'kill-after-events.ts');

/**
 * A loopback OpenAI-compatible model server that counts, on the server side, every request it received and every
 * request it answered (by request body), and can kill the client process when a request arrives (before answering
 * it: a run killed while waiting for its model). Replies are scripted and instant.
 */
export interface LoopbackModel {
  baseUrl: string;
  /** Bodies of the requests answered, in order (canonical JSON). */
  answered: string[];
  /** Requests received (answered or not). */
  received: () => number;
  /** Kill `child` (SIGKILL) when the `nth` request from now arrives, before answering it. */
  killOnRequest(child: ChildProcess, nth: number): void;
  stop(): Promise<void>;
}

/**
 * Replies of the running-max task, by what is asked: the planner's, the tester's, and the coder's buggy first
 * attempt and fixed repair (refine); for a coder asked the same thing again (best-of-n's samples), the buggy
 * attempt twice, then the fixed one. `coderCalls` counts the coder requests answered so far.
 */
export function runningMaxReply(body: RequestBody, coderCalls: number): string {
  const system = textOf(body.messages.find((m) => m.role === 'system')?.content);
  const last = textOf(body.messages.at(-1)?.content);
  if (system.includes('You are the planner')) return PLANNER_REPLY;
  if (system.includes('You are the tester')) return TESTER_REPLY;
  if (last.includes('Your previous attempt')) return FIXED_CODER_REPLY;
  return coderCalls < 2 ? BUGGY_CODER_REPLY : FIXED_CODER_REPLY;
}

export interface RequestBody {
  messages: { role: string; content: unknown }[];
}

export async function startLoopbackModel(
  reply: (body: RequestBody, coderCalls: number) => string = runningMaxReply,
): Promise<LoopbackModel> {
  const answered: string[] = [];
  let coderCalls = 0;
  let pendingKill: { child: ChildProcess; left: number } | undefined;
  const server: OpenAiWireServer = await startOpenAiWireServer({
    respond: async (body: RequestBody) => {
      if (pendingKill && --pendingKill.left === 0) {
        const { child } = pendingKill;
        pendingKill = undefined;
        const gone = new Promise((done) => child.once('exit', done));
        child.kill('SIGKILL');
        await gone;
        // The client is dead: this reply goes nowhere and is not counted as answered.
        return { text: '' };
      }
      const system = textOf(body.messages.find((m) => m.role === 'system')?.content);
      const text = reply(body, coderCalls);
      if (!system.includes('You are the planner') && !system.includes('You are the tester')) coderCalls++;
      answered.push(JSON.stringify(body));
      return { text, usage: { inputTokens: 100, outputTokens: 30 } };
    },
  });
  return {
    baseUrl: server.baseUrl,
    answered,
    received: () => server.requests.length,
    killOnRequest(child, nth) {
      pendingKill = { child, left: nth };
    },
    stop: () => server.stop(),
  };
}

export interface RefineryChild {
  child: ChildProcess;
  /** Resolves when it exits: its code, or the signal that killed it. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/**
 * `refinery ARGS` in a child process (from the sources, through tsx), in the repository root. With
 * `killAfterEvents`, the child kills itself with SIGKILL right after writing that many trajectory events
 * (`torn`: half way through writing the next one).
 */
export function spawnRefinery(
  args: string[],
  options: { killAfterEvents?: number; torn?: boolean; env?: NodeJS.ProcessEnv } = {},
): RefineryChild {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', KILL_PRELOAD, resolve(REPO_ROOT, 'bin/refinery.ts'), ...args],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        OPENAI_API_KEY: 'sk-loopback-0000',
        ...options.env,
        ...(options.killAfterEvents !== undefined
          ? { REFINERY_KILL_AFTER_EVENTS: String(options.killAfterEvents) }
          : {}),
        ...(options.torn ? { REFINERY_KILL_TORN: '1' } : {}),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((done) =>
    child.on('close', (code, signal) => done({ code, signal, stderr })),
  );
  return { child, exit };
}

/** A small seeded PRNG (mulberry32): the same kill points on every run of the test. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((c: { text?: string }) => c.text ?? '').join('');
  return '';
}

/**
 * Acceptance of issue 18 items 2 and 3: a repo run whose planner and coder explore with tools (scripted
 * tool-calling replies over the loopback OpenAI wire server, which refuses what the real API refuses), edits a
 * file of more than 24,000 bytes it saw only in part (a line-anchored block: its SEARCH text occurs 241 times),
 * passes the tests, commits, and replays exactly. A tool call aimed outside the worktree gets an error result,
 * and nothing outside is read: the secret next to the repository appears in no request and no trajectory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepoRunResult } from '../../../graphs/repo/repo-pipeline.ts';
import { startAnthropicWireServer } from '../../../src/testing/wire-servers/anthropic-wire-server.ts';
import { startOpenAiWireServer } from '../../../src/testing/wire-servers/openai-wire-server.ts';
import type { WireToolCall } from '../../../src/testing/wire-servers/scripted-http-server.ts';
import { git } from '../../support/fixture-repos.ts';
import { shippedRefinery } from '../../support/shipped-refinery.ts';
import { buildLedgerRepo, discountLine, LEDGER_TEST_CMD, ledgerSource } from './support/ledger-repo.ts';
import { agentOf } from './support/repo-fixtures.ts';

const PROJECT_ROOT = resolve(import.meta.dirname, '../../..');
const SECRET = 'SECRET-OUTSIDE-THE-WORKTREE-41b9';
const TASK = 'apply_discount in shop/ledger.py ignores its percent: a 10% discount on 200 must give 180.';

interface WireMessage {
  role: string;
  content: string | null;
  tool_calls?: unknown[];
  tool_call_id?: string;
}

let root: string;
let repo: string;
let base: string;
const line = discountLine();

/** The scripted model: per agent, one reply per round (the round is the number of tool turns so far). */
function script(): Record<string, { text: string; toolCalls?: WireToolCall[] }[]> {
  return {
    planner: [
      {
        text: 'Looking for the function and at the files around the repository.',
        toolCalls: [
          { id: 'p1', name: 'search_code', arguments: { pattern: 'def apply_discount' } },
          { id: 'p2', name: 'open_file', arguments: { path: '../secret.txt' } },
          { id: 'p3', name: 'open_file', arguments: { path: join(root, 'secret.txt') } },
          { id: 'p4', name: 'list_dir', arguments: { path: 'shop' } },
        ],
      },
      {
        text: '',
        toolCalls: [
          { id: 'p5', name: 'open_file', arguments: { path: 'shop/ledger.py', start_line: line, end_line: line + 6 } },
        ],
      },
      {
        text: `PLAN:\n1. apply_discount (shop/ledger.py line ${line}) returns the total without the discount.\n\nFILES:\n- shop/ledger.py`,
      },
    ],
    coder: [
      { text: '', toolCalls: [{ id: 'c1', name: 'find_definition', arguments: { name: 'apply_discount' } }] },
      {
        text: [
          'shop/ledger.py',
          '```python',
          `<<<<<<< SEARCH line ${line + 5}`,
          '    return total',
          '=======',
          '    return total * (100 - percent) / 100',
          '>>>>>>> REPLACE',
          '```',
        ].join('\n'),
      },
    ],
  };
}

async function recordRun() {
  const replies = script();
  const server = await startOpenAiWireServer({
    respond: (body: { messages: WireMessage[] }) => {
      const agent = agentOf(body.messages.map((m) => ({ role: m.role, content: m.content ?? '' })));
      const round = body.messages.filter((m) => m.role === 'assistant' && m.tool_calls).length;
      const reply = replies[agent]?.[round];
      if (!reply) throw new Error(`scripted model: no reply for ${agent} round ${round}`);
      return { ...reply, usage: { inputTokens: 500, outputTokens: 40 } };
    },
  });
  try {
    const run = await shippedRefinery.run({
      configPath: 'configs/repo.yaml',
      cwd: PROJECT_ROOT,
      set: [
        'models.default.provider=openai-compatible',
        `models.default.baseUrl=${server.baseUrl}`,
        'models.default.apiKey=wire-key',
        'options.tester=false',
      ],
      taskFlags: { repo, task: TASK, testCmd: LEDGER_TEST_CMD },
      trajectoryPath: join(root, 'run.jsonl'),
    });
    return { run, requests: server.requests.map((r) => r.body as { messages: WireMessage[]; tools?: unknown[] }) };
  } finally {
    await server.stop();
  }
}

let recorded: Awaited<ReturnType<typeof recordRun>>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'refinery-tool-run-'));
  repo = join(root, 'shop');
  writeFileSync(join(root, 'secret.txt'), `${SECRET}\n`);
  base = buildLedgerRepo(repo);
  recorded = await recordRun();
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a repo run that explores with tools', () => {
  it('passes and commits the fix to the large file, at the anchored occurrence only', () => {
    const { run } = recorded;
    expect(run.error?.stack ?? run.status).toBe('passed');
    const result = run.result as RepoRunResult;
    expect(result.commits).toHaveLength(1);
    expect(Buffer.byteLength(ledgerSource())).toBeGreaterThan(24_000);
    const committed = git(repo, ['show', `${result.branch}:shop/ledger.py`]);
    const expected = ledgerSource().split('\n');
    expected[line + 4] = '    return total * (100 - percent) / 100';
    expect(committed).toBe(expected.join('\n'));
    expect(git(repo, ['rev-parse', `${result.branch}^`]).trim()).toBe(base);
  });

  it('saw the large file only in part, and explored through the provider tool API', () => {
    const { requests } = recorded;
    // planner: 3 rounds, coder: 2 rounds; each one a request declaring the tools.
    expect(requests).toHaveLength(5);
    for (const body of requests) expect(body.tools?.length).toBe(6);
    const whole = ledgerSource();
    for (const body of requests) expect(body.messages.map((m) => m.content ?? '').join('\n')).not.toContain(whole);
    const plannerLast = requests[2]!.messages;
    const toolTurns = plannerLast.filter((m) => m.role === 'tool');
    expect(toolTurns.map((m) => m.tool_call_id)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(toolTurns[0]?.content).toContain(`shop/ledger.py:${line}: def apply_discount(order, percent):`);
    expect(toolTurns[4]?.content).toContain(`${line + 5}|     return total`);
  });

  it('answers reads outside the worktree with an error result and reads nothing there', () => {
    const { requests } = recorded;
    const tool = (id: string) => requests[2]!.messages.find((m) => m.tool_call_id === id)?.content ?? '';
    expect(tool('p2')).toMatch(/^error: .*'\.\.' is not allowed/);
    expect(tool('p3')).toMatch(/^error: .*absolute paths are not allowed/);
    expect(JSON.stringify(requests)).not.toContain(SECRET);
    expect(readFileSync(join(root, 'run.jsonl'), 'utf8')).not.toContain(SECRET);
  });

  it('records every round and every tool call, and the budget counts every round', () => {
    const events = readFileSync(join(root, 'run.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const calls = events.filter((e) => e.type === 'model_call');
    expect(calls.map((e) => `${e.request.agent}:${e.reply.toolCalls?.[0]?.length ?? 0}`)).toEqual([
      'planner:4',
      'planner:1',
      'planner:0',
      'coder:1',
      'coder:0',
    ]);
    const tools = events.filter((e) => e.type === 'execution' && e.kind === 'tool');
    expect(tools.map((e) => e.request.name)).toEqual([
      'search_code',
      'open_file',
      'open_file',
      'list_dir',
      'open_file',
      'find_definition',
    ]);
    expect(tools[1].result.isError).toBe(true);
    const final = events.at(-1);
    expect(final.totals).toMatchObject({ modelCalls: 5, inputTokens: 2500, outputTokens: 200 });
  });

  it.each(['recorded', 'live'] as const)(
    'replays exactly (--exec %s): same tool results, same commit',
    async (exec) => {
      const replay = await shippedRefinery.run({
        replay: { trajectoryPath: join(root, 'run.jsonl'), exec, onDivergence: 'stop' },
        trajectoryPath: join(root, `replay-${exec}.jsonl`),
        cwd: PROJECT_ROOT,
      });
      expect(replay.error?.stack ?? replay.status).toBe('passed');
      const result = replay.result as RepoRunResult;
      const original = recorded.run.result as RepoRunResult;
      expect(result.treesMatchRecording).toBe(true);
      expect(result.commits[0]?.sha).toBe(original.commits[0]?.sha);
      const events = readFileSync(join(root, `replay-${exec}.jsonl`), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(events.filter((e) => e.type === 'execution' && e.kind === 'tool')).toHaveLength(6);
    },
  );

  it('a replay that gets another tool result than the recording stops at that tool call', async () => {
    const lines = readFileSync(join(root, 'run.jsonl'), 'utf8').trimEnd().split('\n');
    const tampered = lines.map((l) => {
      const e = JSON.parse(l);
      if (e.type !== 'execution' || e.kind !== 'tool' || e.request.name !== 'search_code') return l;
      return JSON.stringify({ ...e, result: { ...e.result, content: 'no match' } });
    });
    writeFileSync(join(root, 'tampered.jsonl'), `${tampered.join('\n')}\n`);
    const replay = await shippedRefinery.run({
      replay: { trajectoryPath: join(root, 'tampered.jsonl'), exec: 'live', onDivergence: 'stop' },
      trajectoryPath: join(root, 'replay-tampered.jsonl'),
      cwd: PROJECT_ROOT,
    });
    expect(replay.status).toBe('diverged');
    expect(replay.error?.message).toContain('tool #1: result differs from the recording');
  });

  it('runs the same exploration through the Anthropic Messages API (tool_use / tool_result turns)', async () => {
    const replies = script();
    const server = await startAnthropicWireServer({
      respond: (body: { system?: string; messages: { role: string; content: unknown }[] }) => {
        const agent = /You are the (planner|coder)\b/.exec(body.system ?? '')?.[1] ?? 'unknown';
        const round = body.messages.filter(
          (m) => m.role === 'assistant' && Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_use'),
        ).length;
        const reply = replies[agent]?.[round];
        if (!reply) throw new Error(`scripted model: no reply for ${agent} round ${round}`);
        return reply;
      },
    });
    try {
      const run = await shippedRefinery.run({
        configPath: 'configs/repo.yaml',
        cwd: PROJECT_ROOT,
        set: [
          'models.default.provider=anthropic',
          'models.default.name=claude-haiku-4-5',
          `models.default.baseUrl=${server.baseUrl}`,
          'models.default.apiKey=wire-key',
          'options.tester=false',
        ],
        taskFlags: { repo, task: TASK, testCmd: LEDGER_TEST_CMD },
        trajectoryPath: join(root, 'anthropic.jsonl'),
      });
      expect(run.error?.stack ?? run.status).toBe('passed');
      expect(server.requests).toHaveLength(5);
      // The wire server refuses tool_result blocks that do not follow their tool_use: all five were accepted.
      const last = server.requests[2]!.body as {
        messages: { role: string; content: { type: string; is_error?: boolean }[] }[];
      };
      const results = last.messages[2]!.content;
      expect(results.map((b) => `${b.type}${b.is_error ? '!' : ''}`)).toEqual([
        'tool_result',
        'tool_result!',
        'tool_result!',
        'tool_result',
      ]);
      expect(JSON.stringify(server.requests.map((r) => r.body))).not.toContain(SECRET);
      const committed = git(repo, ['show', `${(run.result as RepoRunResult).branch}:shop/ledger.py`]);
      expect(committed).toContain('    return total * (100 - percent) / 100');
    } finally {
      await server.stop();
    }
  });

  it('stops on the calls budget in the middle of a tool loop', async () => {
    const server = await startOpenAiWireServer({
      respond: () => ({ text: '', toolCalls: [{ id: 'x', name: 'list_dir', arguments: {} }] }),
    });
    try {
      const run = await shippedRefinery.run({
        configPath: 'configs/repo.yaml',
        cwd: PROJECT_ROOT,
        set: [
          'models.default.provider=openai-compatible',
          `models.default.baseUrl=${server.baseUrl}`,
          'budgets.modelCalls=3',
          'options.tester=false',
        ],
        taskFlags: { repo, task: TASK, testCmd: LEDGER_TEST_CMD },
        trajectoryPath: join(root, 'budget.jsonl'),
      });
      expect(run.status).toBe('exhausted:calls');
      expect(server.requests).toHaveLength(3);
    } finally {
      await server.stop();
    }
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/execution/create-executor.ts';
import { startAnthropicWireServer } from '../../src/testing/wire-servers/anthropic-wire-server.ts';
import { startOpenAiWireServer } from '../../src/testing/wire-servers/openai-wire-server.ts';
import type { TrajectoryEvent } from '../../src/trajectory/trajectory-events.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import {
  BUGGY_CODER_REPLY,
  FIXED_CODER_REPLY,
  PLANNER_REPLY,
  TESTER_REPLY,
} from '../graphs/refine/support/running-max-replies.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const executor = createExecutor({ sandbox: 'auto', onWarning: () => {} });

/** Answers like a model would: by role, and with the repair only once feedback has arrived. */
function reply(system: string, lastUser: string): string {
  if (system.includes('You are the planner')) return PLANNER_REPLY;
  if (system.includes('You are the tester')) return TESTER_REPLY;
  return lastUser.includes('Your previous attempt') ? FIXED_CODER_REPLY : BUGGY_CODER_REPLY;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((c: { text?: string }) => c.text ?? '').join('');
  return '';
}

/** The parts of an event that must be identical between a run and its replay (no clocks, no latencies). */
function comparable(events: TrajectoryEvent[]): unknown[] {
  return events
    .filter((e) => e.type !== 'header' && e.type !== 'budget')
    .map((e) => {
      switch (e.type) {
        case 'node_enter':
          return [e.type, e.node, e.step];
        case 'node_exit':
          return [e.type, e.node, e.step, e.update];
        case 'model_call':
          return [e.type, e.node, e.call, e.request, { ...e.reply, latencyMs: 0 }];
        case 'execution':
          return [e.type, e.node, e.kind, e.key, { ...(e.result as object), durationMs: 0 }];
        case 'final':
          return [e.type, e.status, e.exitCode, e.result, { ...e.totals, wallMs: 0 }];
        default:
          return [e.type];
      }
    });
}

async function recordAndReplay(provider: 'openai' | 'anthropic') {
  const dir = mkdtempSync(join(tmpdir(), `refinery-wire-${provider}-`));
  const server =
    provider === 'openai'
      ? await startOpenAiWireServer({
          respond: (body: { messages: { role: string; content: unknown }[] }) => ({
            text: reply(
              textOf(body.messages.find((m) => m.role === 'system')?.content),
              textOf(body.messages.at(-1)?.content),
            ),
            usage: { inputTokens: 120, outputTokens: 40 },
          }),
        })
      : await startAnthropicWireServer({
          respond: (body: { system?: unknown; messages: { content: unknown }[] }) => ({
            text: reply(textOf(body.system), textOf(body.messages.at(-1)?.content)),
            usage: { inputTokens: 120, outputTokens: 40 },
          }),
        });
  const set =
    provider === 'openai'
      ? [`models.default.baseUrl=${server.baseUrl}`]
      : [
          'models.default.provider=anthropic',
          'models.default.name=claude-opus-4-5',
          `models.default.baseUrl=${server.baseUrl}`,
          'models.default.stream=true',
        ];
  const recordedPath = join(dir, 'recorded.jsonl');
  const recorded = await shippedRefinery.run({
    configPath: 'configs/refine.yaml',
    taskFile: 'fixtures/tasks/running-max.json',
    set,
    cwd: REPO_ROOT,
    env: { ...process.env, OPENAI_API_KEY: 'sk-loopback-0000', ANTHROPIC_API_KEY: 'sk-ant-loopback-0000' },
    trajectoryPath: recordedPath,
    executor,
    onWarning: () => {},
  });
  const httpRequests = server.requests.length;
  await server.stop();

  const replayedPath = join(dir, 'replayed.jsonl');
  const replayed = await shippedRefinery.run({
    replay: { trajectoryPath: recordedPath, exec: 'live', onDivergence: 'stop' },
    cwd: REPO_ROOT,
    trajectoryPath: replayedPath,
    executor,
    onWarning: () => {},
  });
  return {
    recorded,
    replayed,
    httpRequests,
    recordedEvents: readTrajectory(recordedPath).events,
    replayedEvents: readTrajectory(replayedPath).events,
  };
}

describe.each(['openai', 'anthropic'] as const)(
  'record against the %s wire format, stop the server, replay',
  (provider) => {
    it('replays the same event sequence and the same final code, byte for byte', async () => {
      const run = await recordAndReplay(provider);
      expect(run.recorded.status).toBe('passed');
      expect(run.httpRequests).toBeGreaterThanOrEqual(4);
      expect(run.replayed.status).toBe('passed');
      expect(comparable(run.replayedEvents)).toEqual(comparable(run.recordedEvents));
      const code = (r: { result: unknown }) => (r.result as { code: string }).code;
      expect(Buffer.from(code(run.replayed))).toEqual(Buffer.from(code(run.recorded)));
      expect(run.recordedEvents.filter((e) => e.type === 'model_call')).toHaveLength(run.httpRequests);
      // the key reached the server but never the trajectory
      const text = JSON.stringify(run.recordedEvents);
      expect(text).not.toContain('loopback-0000');
    });
  },
);

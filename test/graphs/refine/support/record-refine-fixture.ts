/**
 * Records the shipped trajectory fixtures/trajectories/refine-running-max.jsonl:
 *
 *   npx tsx test/graphs/refine/support/record-refine-fixture.ts [OUT.jsonl]
 *
 * A live `refinery run configs/refine.yaml --task fixtures/tasks/running-max.json`, with the real `openai`
 * provider (SDK, retries, cost) talking to a loopback server that speaks OpenAI's wire format and answers
 * with the hand-written replies of running-max-replies.ts (no network, no API key), and with real
 * executions. Re-record after changing a prompt file, a reply parser, the critic's template or the test
 * harness: replay reports those as divergences.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPipelineConfig } from '../../../../src/config/load-pipeline-config.ts';
import { createExecutor } from '../../../../src/execution/create-executor.ts';
import { limitsFromConfig } from '../../../../src/execution/execution-limits.ts';
import type { RunPipelineResult } from '../../../../src/runtime/run-pipeline.ts';
import { startOpenAiWireServer } from '../../../../src/testing/wire-servers/openai-wire-server.ts';
import { shippedRefinery } from '../../../support/shipped-refinery.ts';
import {
  BUGGY_CODER_REPLY,
  EXPECTED_FEEDBACK_FRAGMENTS,
  FIXED_CODER_REPLY,
  PLANNER_REPLY,
  TESTER_REPLY,
} from './running-max-replies.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
const CONFIG = 'configs/refine.yaml';
const TASK = 'fixtures/tasks/running-max.json';
export const RUNNING_MAX_TRAJECTORY = 'fixtures/trajectories/refine-running-max.jsonl';

interface WireBody {
  messages: { role: string; content: string }[];
}

/** Picks the scripted reply from what is asked, as a model would; refuses a repair prompt without the facts. */
function replyFor(body: WireBody): string {
  const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
  const user = body.messages.at(-1)?.content ?? '';
  if (system.includes('You are the planner')) return PLANNER_REPLY;
  if (system.includes('You are the tester')) return TESTER_REPLY;
  if (system.includes('expert Python programmer')) {
    if (!user.includes('Your previous attempt')) return BUGGY_CODER_REPLY;
    const missing = EXPECTED_FEEDBACK_FRAGMENTS.filter((f) => !user.includes(f));
    if (missing.length > 0) throw new Error(`the repair prompt lacks the critic's facts: ${missing.join(' | ')}`);
    return FIXED_CODER_REPLY;
  }
  throw new Error(`no scripted reply for system prompt: ${system.slice(0, 80)}`);
}

/** Roughly four characters per token, like the models this stands in for. */
function tokens(text: string): number {
  return Math.max(1, Math.round(text.length / 4));
}

/** Records a live run to `out` (relative to the repository root); returns the run and the number of HTTP requests. */
export async function recordRunningMaxTrajectory(
  out: string = RUNNING_MAX_TRAJECTORY,
): Promise<RunPipelineResult & { httpRequests: number }> {
  const server = await startOpenAiWireServer({
    respond: (body: WireBody) => {
      const text = replyFor(body);
      return {
        text,
        usage: { inputTokens: tokens(body.messages.map((m) => m.content).join('\n')), outputTokens: tokens(text) },
      };
    },
  });
  // The SDK reads the base URL from the environment, so the recorded config stays exactly configs/refine.yaml.
  const previousBaseUrl = process.env.OPENAI_BASE_URL;
  process.env.OPENAI_BASE_URL = server.baseUrl;
  const path = resolve(REPO_ROOT, out);
  rmSync(path, { force: true });
  try {
    const loaded = await loadPipelineConfig(resolve(REPO_ROOT, CONFIG));
    const executor = createExecutor({
      sandbox: loaded.config.execution.sandbox,
      defaults: limitsFromConfig(loaded.config.execution),
    });
    const result = await shippedRefinery.run({
      configPath: CONFIG,
      taskFile: TASK,
      cwd: REPO_ROOT,
      env: { ...process.env, OPENAI_API_KEY: 'sk-loopback-recording-key' },
      trajectoryPath: path,
      runId: 'refine-running-max',
      executor,
      onWarning: () => {},
    });
    return { ...result, httpRequests: server.requests.length };
  } finally {
    if (previousBaseUrl === undefined) delete process.env.OPENAI_BASE_URL;
    else process.env.OPENAI_BASE_URL = previousBaseUrl;
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = process.argv[2] ?? RUNNING_MAX_TRAJECTORY;
  const result = await recordRunningMaxTrajectory(out);
  process.stdout.write(`${result.status}: ${result.summary}\nwrote ${out} (${result.httpRequests} model requests)\n`);
  if (result.status !== 'passed') process.exitCode = 1;
}

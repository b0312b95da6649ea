import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { MokavResult, MokavTask } from '../../../graphs/mokav/index.ts';
import { mokavPipeline } from '../../../graphs/mokav/index.ts';
import { closeSharedPythonWorkerPool } from '../../../src/execution/batch/index.ts';
import type { ModelClient, ModelReply, ModelRequest } from '../../../src/models/model-types.ts';
import { createRefinery } from '../../../src/runtime/create-refinery.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
afterAll(() => closeSharedPythonWorkerPool());

/** Answers each agent from a script (n replies per call) and keeps every request, to look at the prompts. */
class ScriptedModel implements ModelClient {
  readonly requests: ModelRequest[] = [];
  private readonly next = new Map<string, number>();
  constructor(private readonly replies: Record<string, string[]>) {}
  async call(request: ModelRequest): Promise<ModelReply> {
    this.requests.push(request);
    const start = this.next.get(request.agent) ?? 0;
    const n = request.params.n ?? 1;
    this.next.set(request.agent, start + n);
    const texts = (this.replies[request.agent] ?? []).slice(start, start + n);
    if (texts.length < n) throw new Error(`script exhausted for ${request.agent}`);
    return {
      texts,
      finishReasons: texts.map(() => 'stop'),
      usage: { inputTokens: 1, outputTokens: 1 },
      costUsd: 0,
      attempts: 1,
      latencyMs: 0,
      model: request.model,
    };
  }
}

const fn = (name: string, body: string) => ({
  source: `def ${name}(*args):\n\tglobal_list = []\n${body
    .trim()
    .split('\n')
    .map((l) => `\t${l}\n`)
    .join('')}\treturn global_list\n`,
  function: name,
  filename: name === 'patched_func' ? '<patched>' : '<original>',
});

// Q prints n // 2 for n < 10 and n otherwise; P prints n // 2 always: the example "4" agrees, "12" is a DET.
const task: MokavTask = {
  id: 'halves',
  patched: fn('patched_func', 'n = int(args[0])\nk = n // 2 if n < 10 else n\nglobal_list.append(k)'),
  original: fn('original_func', 'n = int(args[0])\nk = n // 2\nglobal_list.append(k)'),
  exampleInput: '4',
  replyFormat: 'inputdata-string',
};

async function run(
  replies: Record<string, string[]>,
  set: string[],
  config = 'configs/mokav-badtie.yaml',
  overrides: Partial<MokavTask> = {},
) {
  const model = new ScriptedModel(replies);
  const refinery = createRefinery({ pipelines: [mokavPipeline] });
  const result = await refinery.run({
    configPath: `${ROOT}${config}`,
    set,
    task: { ...task, ...overrides },
    models: { default: model },
    trajectoryPath: null,
  });
  return { result: result.result as MokavResult, status: result.status, model };
}

describe('the Mokav loop (techniques §2.4)', () => {
  it('rounds go on until a batch holds a DET; the pair is solved in that round, with both outputs', async () => {
    const { result, status, model } = await run(
      {
        describer: ['halves it', 'halves small numbers'],
        tester: ["{'inputdata': '6'}", "{'inputdata': (5,)}", "{'inputdata': 'x'}", "{'inputdata': '12'}"],
      },
      ['options.samples=2', 'options.rounds=4'],
    );
    expect(status).toBe('passed');
    expect(result.det).toMatchObject({ round: 2, sample: 1, input: '12' });
    expect(result.det?.patchedOutput?.str).toBe('[12]');
    expect(result.det?.originalOutput?.str).toBe('[6]');
    expect(result.candidates.map((c) => c.verdict)).toEqual(['SAME', null, 'ERROR_IN_Q', 'DET']);
    expect(result.dropped).toBe(1);
    expect(model.requests.filter((r) => r.agent === 'tester')).toHaveLength(2);
  });

  it("BADTIE prompts: both versions, descriptions, the example with Q's output; feedback shows x0's output and the state difference on the example", async () => {
    const { model } = await run(
      {
        describer: ['DESCRIBES-ORIGINAL', 'DESCRIBES-PATCHED'],
        tester: ['no input', "{'inputdata': '8'}", "{'inputdata': '2'}", "{'inputdata': '3'}"],
      },
      ['options.samples=2', 'options.rounds=2'],
      'configs/mokav-badtie.yaml',
      // Mokav never checks the example: "12" already differs, which E reports (k is 12 in Q, 6 in P).
      { exampleInput: '12' },
    );
    const [first, second] = model.requests.filter((r) => r.agent === 'tester');
    const initial = first!.messages.at(-1)!.content;
    expect(initial).toContain('original_func');
    expect(initial).toContain('patched_func');
    expect(initial).toContain('DESCRIBES-PATCHED');
    expect(initial).toContain("{'inputdata': '12'}");
    expect(initial).toContain('[12]'); // Q's output on the example
    // Round 1: the history is the initial prompt with the FIRST reply only; the feedback names x0 = '8' (the first
    // parseable sample), whose Q output is [4], and E still describes the example input, not x0.
    expect(second!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(second!.messages[2]!.content).toBe('no input');
    const feedback = second!.messages[3]!.content;
    expect(feedback).toContain('That output is: [4].');
    expect(feedback).toContain('in the original version the variable `k` takes the value 6');
    expect(feedback).toContain('in the patched version the variable `k` takes the value 12');
  });

  it('AAT shows only Q, says the original is not shown, and sends no example (no I) and no feedback (one round)', async () => {
    const { model, result } = await run(
      { tester: ["{'inputdata': '1'}", "{'inputdata': '2'}"] },
      ['options.samples=2'],
      'configs/mokav-aat.yaml',
    );
    const prompt = model.requests[0]!.messages.at(-1)!.content;
    expect(prompt).toContain('patched_func');
    expect(prompt).not.toContain('original_func(*args)');
    expect(prompt).toContain('not shown');
    expect(prompt).not.toContain("{'inputdata': '4'}");
    expect(model.requests).toHaveLength(1);
    expect(result.det).toBeNull();
  });

  it('without E the feedback is only the generic text, and a long history is truncated after the first pair', async () => {
    const { model } = await run(
      { describer: ['d1', 'd2'], tester: ['a'.repeat(300), "{'inputdata': '1'}", 'b'.repeat(300), 'c', 'd'] },
      ['options.samples=1', 'options.rounds=5', 'options.historyChars=3000'],
      'configs/mokav-badti.yaml',
    );
    const testers = model.requests.filter((r) => r.agent === 'tester');
    expect(testers).toHaveLength(5);
    const feedback = testers[1]!.messages.at(-1)!.content;
    expect(feedback).not.toContain('That output is');
    expect(feedback).not.toContain('takes the value');
    const last = testers[4]!;
    const total = last.messages.reduce((sum, m) => sum + m.content.length + 1, 0);
    expect(total).toBeLessThanOrEqual(3001);
    // The first user/assistant pair stays.
    expect(last.messages[2]!.content).toBe('a'.repeat(300));
    expect(last.messages.length).toBeLessThan(2 + 2 * 4 + 1);
  });
});

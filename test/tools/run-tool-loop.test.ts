import { describe, expect, it } from 'vitest';
import type { ChatMessage, ModelReply, ToolCall, ToolChoice } from '../../src/models/model-types.ts';
import { runToolLoop } from '../../src/tools/run-tool-loop.ts';

const reply = (text: string, calls: ToolCall[] = []): ModelReply => ({
  texts: [text],
  finishReasons: [calls.length ? 'tool_calls' : 'stop'],
  usage: { inputTokens: 1, outputTokens: 1 },
  costUsd: 0,
  attempts: 1,
  latencyMs: 0,
  model: 'm',
  toolCalls: [calls],
});

describe('runToolLoop', () => {
  it('answers every call of a round in order, then asks again with the turns appended', async () => {
    const asked: { continuation: ChatMessage[]; choice: ToolChoice }[] = [];
    const outcome = await runToolLoop({
      maxRounds: 5,
      ask: async (continuation, choice) => {
        asked.push({ continuation, choice });
        return asked.length === 1
          ? reply('looking', [
              { id: 'a', name: 'open_file', arguments: '{"path":"x"}' },
              { id: 'b', name: 'nope', arguments: '{}' },
            ])
          : reply('done');
      },
      runTool: async (call) =>
        call.name === 'nope'
          ? { content: 'error: no such tool', isError: true }
          : { content: 'file x', isError: false },
    });
    expect(outcome).toMatchObject({ modelCalls: 2, toolCalls: 2 });
    expect(outcome.reply.texts).toEqual(['done']);
    expect(asked[1]?.continuation).toEqual([
      {
        role: 'assistant',
        content: 'looking',
        toolCalls: [
          { id: 'a', name: 'open_file', arguments: '{"path":"x"}' },
          { id: 'b', name: 'nope', arguments: '{}' },
        ],
      },
      { role: 'tool', toolCallId: 'a', content: 'file x' },
      { role: 'tool', toolCallId: 'b', content: 'error: no such tool', isError: true },
    ]);
  });

  it('after maxRounds asks for the answer without tools and ignores further calls', async () => {
    const choices: ToolChoice[] = [];
    let ran = 0;
    const outcome = await runToolLoop({
      maxRounds: 2,
      ask: async (_continuation, choice) => {
        choices.push(choice);
        return reply(`round ${choices.length}`, [{ id: `c${choices.length}`, name: 'list_dir', arguments: '{}' }]);
      },
      runTool: async () => {
        ran += 1;
        return { content: '.', isError: false };
      },
    });
    expect(choices).toEqual(['auto', 'auto', 'none']);
    expect(ran).toBe(2);
    expect(outcome.reply.texts).toEqual(['round 3']);
    expect(outcome.modelCalls).toBe(3);
  });
});

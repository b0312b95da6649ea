import type { ChatMessage, ModelReply, ToolCall, ToolChoice } from '../models/model-types.ts';
import type { ToolResult } from './tool-result.ts';

export interface ToolLoop {
  /** Rounds of tool calls allowed; the request after the last one asks for the answer (`toolChoice: none`). */
  maxRounds: number;
  /** One model call: the conversation so far after the prompt (assistant tool turns and tool results). */
  ask(continuation: ChatMessage[], toolChoice: ToolChoice): Promise<ModelReply>;
  /** Runs (or answers from a recording) one tool call. */
  runTool(call: ToolCall): Promise<ToolResult>;
}

export interface ToolLoopOutcome {
  /** The model's final reply: the first one without tool calls, or the one after the last allowed round. */
  reply: ModelReply;
  /** Model calls made (rounds with tool calls, plus the final one). */
  modelCalls: number;
  toolCalls: number;
  /** The assistant and tool turns exchanged before the final reply. */
  continuation: ChatMessage[];
}

/**
 * The exploration loop of one agent call: ask; while the reply calls tools (first choice), run each call in
 * order, append the assistant turn and one tool turn per call, and ask again. Every round is a model call (so
 * it is recorded, replayed and counted against the budgets like any other); after `maxRounds` rounds the model
 * is asked to answer without tools, and tool calls it makes anyway are ignored.
 */
export async function runToolLoop(loop: ToolLoop): Promise<ToolLoopOutcome> {
  const continuation: ChatMessage[] = [];
  let toolCalls = 0;
  for (let round = 0; ; round++) {
    const last = round >= loop.maxRounds;
    const reply = await loop.ask([...continuation], last ? 'none' : 'auto');
    const calls = reply.toolCalls?.[0] ?? [];
    if (calls.length === 0 || last) return { reply, modelCalls: round + 1, toolCalls, continuation };
    continuation.push({ role: 'assistant', content: reply.texts[0] ?? '', toolCalls: calls });
    for (const call of calls) {
      const result = await loop.runTool(call);
      toolCalls += 1;
      continuation.push({
        role: 'tool',
        toolCallId: call.id,
        content: result.content,
        ...(result.isError ? { isError: true } : {}),
      });
    }
  }
}

/**
 * The checks the real chat APIs make on tool-calling requests, so that a request OpenAI or Anthropic would
 * refuse with a 400 is refused by the wire servers too (messages modelled on the providers' own).
 * Each returns the error message, or undefined when the request is well formed.
 */

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** OpenAI chat completions: tool definitions, and every `tool_calls` id answered by a `tool` message. */
export function checkOpenAiToolRequest(body: unknown): string | undefined {
  const request = asObject(body) ?? {};
  const tools = request['tools'];
  if (tools !== undefined) {
    if (!Array.isArray(tools) || tools.length === 0)
      return "Invalid 'tools': empty array. Expected an array with minimum length 1.";
    for (const [i, tool] of tools.entries()) {
      const fn = asObject(asObject(tool)?.['function']);
      if (asObject(tool)?.['type'] !== 'function' || !fn) return `Invalid 'tools[${i}]': expected a function tool.`;
      if (typeof fn['name'] !== 'string' || !TOOL_NAME.test(fn['name']))
        return `Invalid 'tools[${i}].function.name': string does not match pattern '^[a-zA-Z0-9_-]+$'.`;
      if (fn['parameters'] !== undefined && asObject(fn['parameters'])?.['type'] !== 'object')
        return `Invalid schema for function '${String(fn['name'])}': schema must be a JSON Schema of 'type: "object"'.`;
    }
  }
  const messages = Array.isArray(request['messages']) ? request['messages'] : [];
  let open: string[] = [];
  for (const [i, raw] of messages.entries()) {
    const message = asObject(raw) ?? {};
    if (message['role'] === 'tool') {
      const id = message['tool_call_id'];
      if (typeof id !== 'string' || !open.includes(id))
        return `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls' (messages[${i}].tool_call_id ${JSON.stringify(id)}).`;
      open = open.filter((o) => o !== id);
      continue;
    }
    if (open.length > 0)
      return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${open.join(', ')}`;
    const calls = message['tool_calls'];
    if (message['role'] === 'assistant' && Array.isArray(calls)) {
      if (tools === undefined) return `messages[${i}]: 'tool_calls' given but the request declares no 'tools'.`;
      open = calls.map((c) => String(asObject(c)?.['id'] ?? ''));
    }
  }
  if (open.length > 0)
    return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${open.join(', ')}`;
  return undefined;
}

/** Anthropic Messages: tools declared, and each `tool_use` answered by `tool_result` blocks first in the next turn. */
export function checkAnthropicToolRequest(body: unknown): string | undefined {
  const request = asObject(body) ?? {};
  const tools = request['tools'];
  if (tools !== undefined) {
    if (!Array.isArray(tools)) return 'tools: Input should be a valid list';
    for (const [i, tool] of tools.entries()) {
      const t = asObject(tool) ?? {};
      if (typeof t['name'] !== 'string' || !TOOL_NAME.test(t['name']))
        return `tools.${i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`;
      if (asObject(t['input_schema'])?.['type'] !== 'object')
        return `tools.${i}.custom.input_schema.type: Field required`;
    }
  }
  const messages = Array.isArray(request['messages']) ? request['messages'] : [];
  let usesTools = false;
  for (const [i, raw] of messages.entries()) {
    const message = asObject(raw) ?? {};
    const blocks = Array.isArray(message['content']) ? message['content'].map((b) => asObject(b) ?? {}) : [];
    if (typeof message['content'] === 'string' && message['content'] === '' && i < messages.length - 1)
      return `messages.${i}: all messages must have non-empty content except for the optional final assistant message`;
    for (const [j, block] of blocks.entries())
      if (block['type'] === 'text' && (typeof block['text'] !== 'string' || block['text'] === ''))
        return `messages.${i}.content.${j}: text content blocks must be non-empty`;
    const results = blocks.filter((b) => b['type'] === 'tool_result');
    if (results.length > 0) {
      usesTools = true;
      const previous = asObject(messages[i - 1]);
      const previousUses = (Array.isArray(previous?.['content']) ? previous['content'] : [])
        .map((b) => asObject(b) ?? {})
        .filter((b) => b['type'] === 'tool_use')
        .map((b) => b['id']);
      for (const [j, block] of blocks.entries()) {
        if (block['type'] !== 'tool_result') continue;
        if (
          message['role'] !== 'user' ||
          previous?.['role'] !== 'assistant' ||
          !previousUses.includes(block['tool_use_id'])
        )
          return `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block['tool_use_id'])}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      }
    }
    const uses = blocks.filter((b) => b['type'] === 'tool_use');
    if (uses.length > 0) {
      usesTools = true;
      if (message['role'] !== 'assistant')
        return `messages.${i}: \`tool_use\` blocks are only allowed in assistant messages`;
      const next = asObject(messages[i + 1]);
      const nextBlocks = (Array.isArray(next?.['content']) ? next['content'] : []).map((b) => asObject(b) ?? {});
      const leading: unknown[] = [];
      for (const b of nextBlocks) {
        if (b['type'] !== 'tool_result') break;
        leading.push(b['tool_use_id']);
      }
      const missing = uses.map((u) => u['id']).filter((id) => !leading.includes(id));
      if (next === undefined || next['role'] !== 'user' || missing.length > 0)
        return `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
    }
  }
  if (usesTools && tools === undefined)
    return 'Requests which include `tool_use` or `tool_result` blocks must define tools.';
  return undefined;
}

import { lineDiff } from '../replay/line-diff.ts';
import type { TrajectoryEvent } from '../trajectory/trajectory-events.ts';
import type { ParsedTrajectory } from '../trajectory/trajectory-reader.ts';
import type { BudgetLimits, CallView, ExecutionView, NodeSpan, RunView } from './run-view.ts';
import { configLimits, summarizeExecution } from './summarize-execution.ts';

type ModelRequest = Extract<TrajectoryEvent, { type: 'model_call' }>['request'];

/**
 * The view of one trajectory: its events as recorded, plus the node spans of the timeline, each model call's
 * diff against the same agent's previous call, each execution's verdict, limits and excerpts, and the budget
 * totals over time. Read from the trajectory format alone, so it works for every pipeline.
 */
export function buildRunView(trajectory: ParsedTrajectory): RunView {
  const { header, events } = trajectory;
  const start = Date.parse(header.at);
  const spans: NodeSpan[] = [];
  const open = new Map<string, NodeSpan[]>();
  const calls: CallView[] = [];
  const executions: ExecutionView[] = [];
  const lastCall = new Map<string, { event: number; prompt: string; reply: string }>();
  const points: RunView['budgets']['points'] = [];
  /** Events of nodes a resume cut off, by step and node, for the node's run after the resume. */
  const carried = new Map<string, number[]>();
  let final: RunView['final'] = null;

  events.forEach((event, index) => {
    switch (event.type) {
      case 'node_enter': {
        const span: NodeSpan = {
          step: event.step,
          node: event.node,
          enter: index,
          exit: null,
          startMs: Math.max(0, Date.parse(event.at) - start) || 0,
          durationMs: null,
          events: carried.get(`${event.step}:${event.node}`) ?? [],
        };
        carried.delete(`${event.step}:${event.node}`);
        spans.push(span);
        const list = open.get(event.node);
        if (list) list.push(span);
        else open.set(event.node, [span]);
        return;
      }
      case 'node_exit': {
        const list = open.get(event.node);
        const at = list?.findIndex((s) => s.step === event.step) ?? -1;
        const span = list && at >= 0 ? list.splice(at, 1)[0] : list?.shift();
        if (span) {
          span.exit = index;
          span.durationMs = event.durationMs;
        }
        return;
      }
      case 'model_call':
      case 'model_error': {
        const agent = event.request.agent;
        const prompt = promptText(event.request);
        const reply =
          event.type === 'model_call' ? replyText(event.reply) : `(error) ${event.error.name}: ${event.error.message}`;
        const before = lastCall.get(agent);
        calls.push({
          event: index,
          agent,
          previous: before?.event ?? null,
          promptDiff: before ? callDiff(before.prompt, prompt) : '',
          replyDiff: before ? callDiff(before.reply, reply) : '',
        });
        lastCall.set(agent, { event: index, prompt, reply });
        break;
      }
      case 'execution':
        executions.push(summarizeExecution(event, index));
        break;
      case 'budget':
        points.push({ seq: event.seq, totals: event.totals });
        return;
      case 'resume':
        // The nodes entered after the checkpoint run again; what they had answered (model calls, executions) is
        // not written twice (docs/trajectory.md), so it moves to the node's next run.
        for (const span of spans)
          if (!span.interrupted && events[span.enter]!.seq >= event.fromSeq) {
            span.interrupted = true;
            carried.set(`${span.step}:${span.node}`, [
              ...(carried.get(`${span.step}:${span.node}`) ?? []),
              ...span.events,
            ]);
          }
        open.clear();
        points.push({ seq: event.seq, totals: event.totals });
        return;
      case 'final':
        points.push({ seq: event.seq, totals: event.totals });
        final = {
          status: event.status,
          exitCode: event.exitCode,
          result: event.result ?? null,
          totals: event.totals,
          error: event.error ?? null,
        };
        return;
    }
    // Events a node wrote belong to that node's open span (the latest one, for a node running twice at once).
    const node = 'node' in event && typeof event.node === 'string' ? event.node : undefined;
    const owner = node === undefined ? undefined : open.get(node)?.at(-1);
    owner?.events.push(index);
  });

  return {
    path: trajectory.path,
    runId: header.runId,
    pipeline: typeof header.config.graph === 'string' ? header.config.graph : '',
    replayOf: header.replayOf ?? null,
    task: header.task ?? null,
    startedAt: header.at,
    truncated: trajectory.truncated
      ? 'the last line was cut off: this is the prefix a killed run left'
      : final
        ? null
        : 'no final event: the run was killed (or is still running); this is the prefix it left',
    final,
    executionLimits: configLimits(header.config.execution),
    budgets: { points, limits: budgetLimits(header.config.budgets) },
    events,
    spans,
    calls,
    executions,
  };
}

/** Equal lines kept around a change: lineDiff's default context. */
const CONTEXT = 3;

/**
 * lineDiff of two calls' texts, which mostly share a long head (the system prompt, the task) and tail: the
 * shared lines beyond the context are cut before diffing and the hunk headers shifted back, so the output is
 * lineDiff's on the whole texts at a fraction of the cost (a trajectory has thousands of calls).
 */
function callDiff(before: string, now: string): string {
  if (before === now) return '';
  const a = before.split('\n');
  const b = now.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const cutHead = Math.max(0, head - CONTEXT);
  const cutTail = Math.max(0, tail - CONTEXT);
  const diff = lineDiff(
    a.slice(cutHead, a.length - cutTail).join('\n'),
    b.slice(cutHead, b.length - cutTail).join('\n'),
  );
  if (cutHead === 0) return diff;
  return diff.replace(
    /^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@/gm,
    (_, oldStart: string, oldLines = '', newStart: string, newLines = '') =>
      `@@ -${Number(oldStart) + cutHead}${oldLines} +${Number(newStart) + cutHead}${newLines} @@`,
  );
}

/** The prompt as one text: each message under its role, tool calls and tool answers included. */
export function promptText(request: ModelRequest): string {
  return request.messages
    .map((m) => {
      const calls = m.toolCalls?.map((c) => `[tool call ${c.id}] ${c.name}(${c.arguments})`).join('\n');
      const head = `## ${m.role}${m.toolCallId ? ` (answers ${m.toolCallId}${m.isError ? ', error' : ''})` : ''}`;
      return [head, m.content, ...(calls ? [calls] : [])].join('\n');
    })
    .join('\n');
}

function replyText(reply: Extract<TrajectoryEvent, { type: 'model_call' }>['reply']): string {
  return reply.texts
    .map((text, i) => {
      const calls = reply.toolCalls?.[i]?.map((c) => `[tool call ${c.id}] ${c.name}(${c.arguments})`) ?? [];
      return [reply.texts.length > 1 ? `## sample ${i + 1}` : '', text, ...calls].filter((l) => l !== '').join('\n');
    })
    .join('\n');
}

function budgetLimits(config: unknown): BudgetLimits {
  const b = (config && typeof config === 'object' ? config : {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const wallSeconds = num(b.wallSeconds);
  return {
    iterations: num(b.iterations),
    modelCalls: num(b.modelCalls),
    tokens: num(b.tokens),
    costUsd: num(b.costUsd),
    wallMs: wallSeconds === null ? null : wallSeconds * 1000,
  };
}

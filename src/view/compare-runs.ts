import { canonicalJson } from '../replay/canonical-json.ts';
import { lineDiff } from '../replay/line-diff.ts';
import { requestKey } from '../replay/recorded-ledger.ts';
import { prettyCanonicalJson, stableValue } from '../replay/stable-json.ts';
import type { TrajectoryEvent } from '../trajectory/trajectory-events.ts';
import { promptText } from './build-run-view.ts';
import type { NodeSpan, RunView } from './run-view.ts';

/** One row of the side-by-side view: the node span of each run at this step (null where that run has none). */
export interface AlignedStep {
  step: number;
  a: number | null;
  b: number | null;
  /** Whether both runs did the same thing at this step (same node, same requests, replies, results and update). */
  same: boolean;
}

export interface FirstDifference {
  /** Index into `rows`; null when the runs differ only in how they ended. */
  row: number | null;
  step: number | null;
  node: string | null;
  /** Event indices in each run at which they part (the node's first differing event), where there is one. */
  a: number | null;
  b: number | null;
  /** What differs, in words: `model call of agent 'coder': request`, `only A has step 7`, `final status`. */
  what: string;
  /** Line diff, `-` A and `+` B, of what differs ('' when a side has nothing there). */
  diff: string;
}

export interface RunComparison {
  rows: AlignedStep[];
  first: FirstDifference | null;
  /** Line diffs (`-` A, `+` B) of the headers' config, task and prompt hashes; '' where equal. */
  header: { config: string; task: string; prompts: string };
}

/**
 * Aligns two runs of the same task by graph step and finds the first point where they differ. Two events are the
 * same when replay would take one for the other: model calls by the request identity replay matches on (and
 * the same replies), executions by request key and result less durations and the sandbox mode.
 */
export function compareRuns(a: RunView, b: RunView): RunComparison {
  const rows = alignSteps(a, b);
  let first: FirstDifference | null = null;
  for (let i = 0; i < rows.length && !first; i++) {
    const row = rows[i]!;
    if (row.same) continue;
    first = describeRow(a, b, row, i);
  }
  if (!first) first = describeEnding(a, b);
  return {
    rows,
    first,
    header: {
      config: lineDiff(prettyCanonicalJson(headerOf(a).config), prettyCanonicalJson(headerOf(b).config)),
      task: lineDiff(prettyCanonicalJson(a.task), prettyCanonicalJson(b.task)),
      prompts: lineDiff(prettyCanonicalJson(headerOf(a).prompts ?? {}), prettyCanonicalJson(headerOf(b).prompts ?? {})),
    },
  };
}

function headerOf(run: RunView): Extract<TrajectoryEvent, { type: 'header' }> {
  return run.events[0] as Extract<TrajectoryEvent, { type: 'header' }>;
}

/** Rows by step; at a step with several nodes (parallel branches), spans of the same node name pair up in order. */
function alignSteps(a: RunView, b: RunView): AlignedStep[] {
  const byStep = (run: RunView) => {
    const map = new Map<number, number[]>();
    run.spans.forEach((span, i) => {
      // A node a resumed run was killed in is entered again after the resume: that run is the one compared.
      if (span.interrupted) return;
      const list = map.get(span.step);
      if (list) list.push(i);
      else map.set(span.step, [i]);
    });
    return map;
  };
  const stepsA = byStep(a);
  const stepsB = byStep(b);
  const steps = [...new Set([...stepsA.keys(), ...stepsB.keys()])].sort((x, y) => x - y);
  const rows: AlignedStep[] = [];
  for (const step of steps) {
    const left = [...(stepsA.get(step) ?? [])];
    const right = [...(stepsB.get(step) ?? [])];
    for (const ia of left) {
      const match = right.findIndex((ib) => b.spans[ib]!.node === a.spans[ia]!.node);
      const ib = match >= 0 ? right.splice(match, 1)[0]! : (right.shift() ?? null);
      rows.push({ step, a: ia, b: ib, same: ib !== null && sameSpan(a, a.spans[ia]!, b, b.spans[ib]!) });
    }
    for (const ib of right) rows.push({ step, a: null, b: ib, same: false });
  }
  return rows;
}

function sameSpan(a: RunView, sa: NodeSpan, b: RunView, sb: NodeSpan): boolean {
  if (sa.node !== sb.node) return false;
  const ka = spanSignature(a, sa);
  const kb = spanSignature(b, sb);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

/** The comparable identity of each event of a span, its update last ('exit: none' when the node never returned). */
function spanSignature(run: RunView, span: NodeSpan): string[] {
  const out: string[] = [];
  for (const index of span.events) {
    const identity = comparable(run.events[index]!);
    if (identity !== null) out.push(canonicalJson(identity));
  }
  out.push(span.exit === null ? 'exit: none' : canonicalJson(comparable(run.events[span.exit]!)));
  return out;
}

/** What of an event two runs must agree on; null for events that say nothing about behaviour (notes). */
function comparable(event: TrajectoryEvent): unknown {
  switch (event.type) {
    case 'model_call':
      return { model: requestKey('model', event.request), texts: event.reply.texts, tools: event.reply.toolCalls };
    case 'model_error':
      return { model: requestKey('model', event.request), error: event.error.name, message: event.error.message };
    case 'execution':
      return { kind: event.kind, key: event.key, result: stableValue(event.result) };
    case 'node_exit':
      return { update: stableValue(event.update) };
    default:
      return null;
  }
}

function describeRow(a: RunView, b: RunView, row: AlignedStep, index: number): FirstDifference {
  if (row.a === null || row.b === null) {
    const has = row.a === null ? 'B' : 'A';
    const span = row.a === null ? b.spans[row.b!]! : a.spans[row.a]!;
    return {
      row: index,
      step: row.step,
      node: span.node,
      a: row.a === null ? null : span.enter,
      b: row.b === null ? null : span.enter,
      what: `only ${has} has step ${row.step} (${span.node})`,
      diff: '',
    };
  }
  const sa = a.spans[row.a]!;
  const sb = b.spans[row.b]!;
  if (sa.node !== sb.node)
    return {
      row: index,
      step: row.step,
      node: sa.node,
      a: sa.enter,
      b: sb.enter,
      what: `step ${row.step} runs node '${sa.node}' in A and '${sb.node}' in B`,
      diff: lineDiff(sa.node, sb.node),
    };
  const ea = [...sa.events.filter((i) => comparable(a.events[i]!) !== null), sa.exit];
  const eb = [...sb.events.filter((i) => comparable(b.events[i]!) !== null), sb.exit];
  for (let k = 0; k < Math.max(ea.length, eb.length); k++) {
    const ia = ea[k] ?? null;
    const ib = eb[k] ?? null;
    const va = ia === null ? null : a.events[ia]!;
    const vb = ib === null ? null : b.events[ib]!;
    if (va && vb && canonicalJson(comparable(va)) === canonicalJson(comparable(vb))) continue;
    const stopped = va === null ? stoppedHere(a, 'A') : vb === null ? stoppedHere(b, 'B') : null;
    const { what, diff } = stopped ?? describeEvents(va, vb);
    return { row: index, step: row.step, node: sa.node, a: ia, b: ib, what, diff };
  }
  return { row: index, step: row.step, node: sa.node, a: sa.enter, b: sb.enter, what: 'the node differs', diff: '' };
}

/**
 * A run that stopped where the other went on, because its replay diverged (or it failed): its final error says
 * why, and for a divergence holds replay's own diff of the recorded and the new request.
 */
function stoppedHere(run: RunView, side: 'A' | 'B'): { what: string; diff: string } | null {
  const error = run.final?.error;
  if (!error) return null;
  const [first = '', ...rest] = error.message.split('\n');
  const signs = run.final!.status === 'diverged' ? ' (below: - the recording, + this run)' : '';
  return { what: `${side} stopped here, ${run.final!.status}: ${first}${signs}`, diff: rest.join('\n') };
}

/** Words and a line diff for the first pair of events that differ (either may be missing). */
function describeEvents(a: TrajectoryEvent | null, b: TrajectoryEvent | null): { what: string; diff: string } {
  const label = (e: TrajectoryEvent | null) => (e === null ? 'nothing' : eventLabel(e));
  if (!a || !b || a.type !== b.type)
    return {
      what: `A has ${label(a)}, B has ${label(b)}`,
      diff: lineDiff(a ? describeFully(a) : '', b ? describeFully(b) : ''),
    };
  if ((a.type === 'model_call' || a.type === 'model_error') && (b.type === 'model_call' || b.type === 'model_error')) {
    if (requestKey('model', a.request) !== requestKey('model', b.request)) {
      const promptDiff = lineDiff(promptText(a.request), promptText(b.request));
      return {
        what: `${eventLabel(a)}: the request differs`,
        diff: promptDiff || lineDiff(prettyCanonicalJson(a.request), prettyCanonicalJson(b.request)),
      };
    }
    return {
      what: `${eventLabel(a)}: same request, different reply`,
      diff: lineDiff(describeFully(a), describeFully(b)),
    };
  }
  if (a.type === 'execution' && b.type === 'execution' && a.key !== b.key)
    return {
      what: `${eventLabel(a)}: the request differs`,
      diff: lineDiff(prettyCanonicalJson(a.request), prettyCanonicalJson(b.request)),
    };
  if (a.type === 'execution' && b.type === 'execution')
    return {
      what: `${eventLabel(a)}: same request, different result`,
      diff: lineDiff(prettyCanonicalJson(stableValue(a.result)), prettyCanonicalJson(stableValue(b.result))),
    };
  return { what: `${eventLabel(a)}: the node's update differs`, diff: lineDiff(describeFully(a), describeFully(b)) };
}

function eventLabel(event: TrajectoryEvent): string {
  switch (event.type) {
    case 'model_call':
      return `model call ${event.call} (agent '${event.request.agent}')`;
    case 'model_error':
      return `failed model call ${event.call} (agent '${event.request.agent}')`;
    case 'execution':
      return `execution '${event.kind}' in node '${event.node}'`;
    case 'node_exit':
      return `the end of node '${event.node}'`;
    default:
      return `a ${event.type} event`;
  }
}

function describeFully(event: TrajectoryEvent): string {
  switch (event.type) {
    case 'model_call':
      return `${promptText(event.request)}\n## reply\n${event.reply.texts.join('\n## next sample\n')}`;
    case 'model_error':
      return `${promptText(event.request)}\n## error\n${event.error.name}: ${event.error.message}`;
    case 'execution':
      return prettyCanonicalJson({ kind: event.kind, request: event.request, result: stableValue(event.result) });
    case 'node_exit':
      return prettyCanonicalJson(stableValue(event.update));
    default:
      return prettyCanonicalJson(event);
  }
}

function describeEnding(a: RunView, b: RunView): FirstDifference | null {
  const end = (run: RunView) => ({
    status: run.final?.status ?? '(no final event)',
    result: stableValue(run.final?.result ?? null),
  });
  const ea = end(a);
  const eb = end(b);
  if (canonicalJson(ea) === canonicalJson(eb)) return null;
  const what = ea.status !== eb.status ? 'final status' : 'final result';
  return {
    row: null,
    step: null,
    node: null,
    a: a.final ? a.events.length - 1 : null,
    b: b.final ? b.events.length - 1 : null,
    what: `the steps agree; the ${what} differs`,
    diff: lineDiff(prettyCanonicalJson(ea), prettyCanonicalJson(eb)),
  };
}

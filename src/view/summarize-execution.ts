import type { ExecutionEvent } from '../trajectory/trajectory-events.ts';
import type { ExecutionView } from './run-view.ts';

/** Request keys that set a limit (`timeoutSec`, `memoryMb`, `cpuSeconds`, `outputBytes`, ...). */
const LIMIT_KEY = /timeout|limit|memory|cpu|wall|processes|filesize|outputbytes|maxbytes/i;
/** Request keys whose text is what ran. */
const PROGRAM_KEY = /^(source|command|code|program|script|argv)$/i;
const EXCERPT_LINES = 30;
const EXCERPT_CHARS = 4000;
const MAX_EXCERPTS = 8;
const MAX_DEPTH = 4;

/**
 * What the viewer shows of one execution, found from the shapes of its request and result (any pipeline's
 * step kind): the verdict, the limits the request set, and the first lines of the program and its outputs.
 */
export function summarizeExecution(event: ExecutionEvent, index: number): ExecutionView {
  const limits: ExecutionView['limits'] = {};
  const excerpts: ExecutionView['excerpts'] = [];
  walk(event.request, 'request', 0, (path, key, value) => {
    if (LIMIT_KEY.test(key) && (typeof value === 'number' || typeof value === 'boolean')) limits[path] = value;
    else if (PROGRAM_KEY.test(key) && typeof value === 'string' && value.trim() !== '')
      excerpts.push({ label: path, text: excerpt(value) });
    else if (PROGRAM_KEY.test(key) && Array.isArray(value) && value.every((v) => typeof v === 'string'))
      excerpts.push({ label: path, text: excerpt(value.join(' ')) });
  });
  walk(event.result, 'result', 0, (path, key, value) => {
    if (typeof value === 'string' && value.trim() !== '' && key !== 'verdict' && key !== 'status' && value.length > 12)
      excerpts.push({ label: path, text: excerpt(value) });
  });
  return { event: index, verdict: verdictOf(event.result), limits, excerpts: excerpts.slice(0, MAX_EXCERPTS) };
}

/** The limits a config's `execution` section sets, by key path: the defaults every execution of the run gets. */
export function configLimits(execution: unknown): ExecutionView['limits'] {
  const limits: ExecutionView['limits'] = {};
  walk(execution, 'execution', 0, (path, key, value) => {
    if (LIMIT_KEY.test(key) && (typeof value === 'number' || typeof value === 'boolean')) limits[path] = value;
  });
  return limits;
}

/**
 * `verdict` or `status` as given; `passed: true|false`; `timedOut`. For a batch (the result, or its first array
 * member), a count per verdict of its items: objects with their own verdict, verdict words (`"passed"`), or
 * booleans (a pass matrix's cells, rows flattened): `2 passed, 1 failed`, `9 true, 3 false`.
 */
export function verdictOf(result: unknown): string {
  const own = ownVerdict(result);
  if (own) return own;
  const items = Array.isArray(result) ? result : result && typeof result === 'object' ? arrayMember(result) : [];
  const verdicts = items.flat().map(itemVerdict);
  // Only when every item has one: a list of test sources is not a batch of outcomes.
  if (verdicts.length === 0 || verdicts.includes('')) return '';
  const counts = new Map<string, number>();
  for (const v of verdicts) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${n} ${v}`).join(', ');
}

function itemVerdict(item: unknown): string {
  if (typeof item === 'boolean') return String(item);
  if (typeof item === 'string') return /^[\w:-]{1,24}$/.test(item) ? item : '';
  return ownVerdict(item);
}

function ownVerdict(value: unknown): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return '';
  const r = value as Record<string, unknown>;
  if (r.timedOut === true) return 'timeout';
  if (typeof r.verdict === 'string') return r.verdict;
  if (typeof r.status === 'string') return r.status;
  if (typeof r.passed === 'boolean') return r.passed ? 'passed' : 'failed';
  if (typeof r.ok === 'boolean') return r.ok ? 'ok' : 'failed';
  return '';
}

/** The first non-empty array member (a batch's outcomes, a matrix's rows). */
function arrayMember(value: object): unknown[] {
  for (const member of Object.values(value)) if (Array.isArray(member) && member.length > 0) return member;
  return [];
}

function walk(value: unknown, path: string, depth: number, visit: (path: string, key: string, v: unknown) => void) {
  if (!value || typeof value !== 'object' || depth > MAX_DEPTH) return;
  const entries = Array.isArray(value)
    ? value.slice(0, 3).map((v, i) => [String(i), v] as const)
    : Object.entries(value);
  for (const [key, member] of entries) {
    const memberPath = `${path}.${key}`;
    visit(memberPath, key, member);
    if (member && typeof member === 'object') walk(member, memberPath, depth + 1, visit);
  }
}

function excerpt(text: string): string {
  const lines = text.split('\n');
  let out = lines.slice(0, EXCERPT_LINES).join('\n');
  if (out.length > EXCERPT_CHARS) out = out.slice(0, EXCERPT_CHARS);
  const hidden = text.length - out.length;
  return hidden > 0 ? `${out}\n… (${lines.length} lines, ${text.length} characters in all)` : out;
}

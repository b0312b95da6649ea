import { parsePythonLiteral } from './python-literal.ts';
import type { PyValue } from './python-value.ts';

/**
 * How a tester reply becomes a candidate input (techniques §2.4 step 3):
 * - `inputdata-string` (C4B): the FIRST substring matching `{'inputdata': '...'}` whose value is a single-quoted
 *   string with no quote inside, literal-evaluated (escapes decoded) after removing the word "python" from it. Other shapes (`{'inputdata': (5,)}`) are
 *   dropped, as Mokav dropped them.
 * - `whole-literal` (QuixBugs): the word "python" and the backticks removed, the rest literal-evaluated as a whole;
 *   it must be a dict with an `inputdata` key, whose value (any literal) is the input.
 */
export const REPLY_FORMATS = ['inputdata-string', 'whole-literal'] as const;
export type ReplyFormat = (typeof REPLY_FORMATS)[number];

export type ParsedCandidate = { ok: true; input: PyValue } | { ok: false; reason: string };

const INPUTDATA_STRING = /\{'inputdata': '[^']*'\}/;

export function parseCandidateInput(reply: string, format: ReplyFormat): ParsedCandidate {
  if (format === 'inputdata-string') {
    const match = INPUTDATA_STRING.exec(reply);
    if (!match) return { ok: false, reason: "no {'inputdata': '...'} with a single-quoted string" };
    // Mokav removes the word "python" from the match too (`{'inputdata': 'python'}` is the empty string).
    return inputOf(match[0].replaceAll('python', ''));
  }
  return inputOf(reply.replaceAll('python', '').replaceAll('`', ''));
}

function inputOf(literal: string): ParsedCandidate {
  const parsed = parsePythonLiteral(literal);
  if (!parsed.ok) return { ok: false, reason: `not a Python literal: ${parsed.reason}` };
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || !('__dict__' in value)) return { ok: false, reason: 'not a dict' };
  const entry = value.__dict__.find(([key]) => key === 'inputdata');
  if (!entry) return { ok: false, reason: "no 'inputdata' key" };
  return { ok: true, input: entry[1] };
}

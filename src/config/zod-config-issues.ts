import { z } from 'zod';
import type { ConfigIssue, ConfigIssueKind } from './config-error.ts';
import type { LocateMode } from './config-issue-locator.ts';
import type { KeyPath } from './config-key-path.ts';
import { formatKeyPath } from './config-key-path.ts';
import type { IssueLocation } from './config-layers.ts';
import { describeValueType, valueAtPath } from './config-tree.ts';

export type Locate = (keyPath: KeyPath, mode: LocateMode) => IssueLocation;

/**
 * Turn zod issues into positioned config issues. `input` is what was validated (to tell a missing key from a
 * wrong one); `prefix` is where `input` sits in the whole config (`['options']` for graph options).
 */
export function configIssuesFromZod(
  zodIssues: readonly z.core.$ZodIssue[],
  input: unknown,
  schema: z.ZodType,
  locate: Locate,
  prefix: KeyPath = [],
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const push = (relPath: KeyPath, mode: LocateMode, kind: ConfigIssueKind, message: string) => {
    const keyPath = [...prefix, ...relPath];
    out.push({ ...locate(keyPath, mode), keyPath: formatKeyPath(keyPath), message, kind });
  };
  for (const issue of zodIssues) {
    const relPath = issue.path.map((seg) => (typeof seg === 'symbol' ? String(seg) : seg));
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeysAt(schema, relPath);
        for (const key of issue.keys) {
          const hint = closest(key, known);
          const message = hint ? `unknown key "${key}" (did you mean "${hint}"?)` : `unknown key "${key}"`;
          push(
            [...relPath, key],
            'key',
            'unknown-key',
            known.length ? `${message}; allowed: ${known.join(', ')}` : message,
          );
        }
        break;
      }
      case 'invalid_type': {
        const actual = valueAtPath(input, relPath);
        const expected = typeName(issue.expected);
        if (actual === undefined) push(relPath, 'enclosing', 'missing', `missing required key (expected ${expected})`);
        else push(relPath, 'value', 'type', `expected ${expected}, received ${describeValueType(actual)}`);
        break;
      }
      case 'invalid_value': {
        const actual = valueAtPath(input, relPath);
        const options = issue.values.map((v) => JSON.stringify(v));
        if (actual === undefined) {
          push(relPath, 'enclosing', 'missing', `missing required key (expected one of ${options.join(', ')})`);
          break;
        }
        const hint = typeof actual === 'string' ? closest(actual, issue.values.map(String)) : undefined;
        const received =
          typeof actual === 'string' || typeof actual === 'number' ? `, received ${JSON.stringify(actual)}` : '';
        push(
          relPath,
          'value',
          'value',
          `expected one of ${options.join(', ')}${received}${hint ? ` (did you mean "${hint}"?)` : ''}`,
        );
        break;
      }
      default:
        push(relPath, 'value', 'value', lowerFirst(issue.message));
    }
  }
  return out;
}

function typeName(expected: string): string {
  if (expected === 'object' || expected === 'record') return 'mapping';
  if (expected === 'array' || expected === 'tuple') return 'list';
  if (expected === 'int') return 'integer';
  return expected;
}

/** Keys a strict object accepts at `keyPath`, walking through defaults, optionals, records and lists. */
export function knownKeysAt(schema: z.ZodType, keyPath: KeyPath): string[] {
  let node: z.ZodType | undefined = unwrap(schema);
  for (const seg of keyPath) {
    if (!node) return [];
    if (node instanceof z.ZodObject) node = (node.shape as Record<string, z.ZodType>)[String(seg)];
    else if (node instanceof z.ZodRecord) node = node.valueType as z.ZodType;
    else if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else return [];
    node = node ? unwrap(node) : undefined;
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let node = schema;
  for (let i = 0; i < 10; i++) {
    const inner = (node._zod.def as { innerType?: z.ZodType }).innerType;
    if (!inner) break;
    node = inner;
  }
  return node;
}

/** Nearest candidate by edit distance, when near enough to be a plausible typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best || best.candidate === word) return undefined;
  if (best.distance <= Math.max(1, Math.floor(word.length / 3))) return best.candidate;
  // `timeout` for `timeoutSec`: a known key that extends what was written.
  const lower = word.toLowerCase();
  return word.length >= 4 ? candidates.find((c) => c.toLowerCase().startsWith(lower)) : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

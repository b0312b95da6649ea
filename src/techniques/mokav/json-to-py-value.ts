import type { PyValue } from './python-value.ts';

/**
 * A value read with JSON (QuixBugs' json_testcases) as the Python value `json.loads` gives: objects become dicts,
 * non-integral numbers floats. (An integral float written `2.0` reads as the int 2 in JavaScript: the one loss.)
 */
export function jsonToPyValue(value: unknown): PyValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number')
    return Number.isSafeInteger(value) ? value : { __float__: Number.isInteger(value) ? `${value}.0` : String(value) };
  if (Array.isArray(value)) return value.map(jsonToPyValue);
  if (typeof value === 'object')
    return { __dict__: Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, jsonToPyValue(v)]) };
  return null;
}

import { z } from 'zod';

/**
 * A Python value as data (JSON), for candidate inputs and call arguments: strings, booleans, None and lists map to
 * JSON; what JSON cannot say is tagged, so the harness rebuilds the exact Python value (a tuple is not a list, 2.0 is
 * not 2, and 2**70 is not a double). Arguments travel as this, never pasted into source.
 */
export type PyValue =
  | string
  | number
  | boolean
  | null
  | PyValue[]
  | { __tuple__: PyValue[] }
  | { __float__: string }
  | { __int__: string }
  | { __complex__: string }
  | { __dict__: [PyValue, PyValue][] }
  | { __set__: PyValue[] }
  | { __bytes__: number[] };

export const pyValueSchema: z.ZodType<PyValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number().int(),
    z.boolean(),
    z.null(),
    z.array(pyValueSchema),
    z.object({ __tuple__: z.array(pyValueSchema) }).strict(),
    z.object({ __float__: z.string() }).strict(),
    z.object({ __int__: z.string() }).strict(),
    z.object({ __complex__: z.string() }).strict(),
    z.object({ __dict__: z.array(z.tuple([pyValueSchema, pyValueSchema])) }).strict(),
    z.object({ __set__: z.array(pyValueSchema) }).strict(),
    z.object({ __bytes__: z.array(z.number().int()) }).strict(),
  ]),
);

/** Whether the value is a Python list or tuple (star-expanded by the calling convention). */
export function isSequence(value: PyValue): value is PyValue[] | { __tuple__: PyValue[] } {
  return Array.isArray(value) || (typeof value === 'object' && value !== null && '__tuple__' in value);
}

export function sequenceItems(value: PyValue[] | { __tuple__: PyValue[] }): PyValue[] {
  return Array.isArray(value) ? value : value.__tuple__;
}

/** The value as Python source (`repr`), for prompts and for the test files difftest writes. */
export function pyRepr(value: PyValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return pyStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if ('__tuple__' in value)
    return value.__tuple__.length === 1
      ? `(${pyRepr(value.__tuple__[0]!)},)`
      : `(${value.__tuple__.map(pyRepr).join(', ')})`;
  if ('__float__' in value) return floatRepr(value.__float__);
  if ('__int__' in value) return value.__int__;
  if ('__complex__' in value) return `complex(${pyStringRepr(value.__complex__)})`;
  if ('__dict__' in value) return `{${value.__dict__.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  if ('__set__' in value) return value.__set__.length === 0 ? 'set()' : `{${value.__set__.map(pyRepr).join(', ')}}`;
  return `bytes(${JSON.stringify(value.__bytes__)})`;
}

function floatRepr(text: string): string {
  if (text === 'inf' || text === '-inf' || text === 'nan') return `float('${text}')`;
  return text;
}

/** Python's `repr(str)`: single quotes unless the text holds a single quote and no double quote. */
export function pyStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return out + quote;
}

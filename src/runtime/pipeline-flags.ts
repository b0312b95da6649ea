import { z } from 'zod';
import { TaskError } from './task-error.ts';

/**
 * Command-line flags a pipeline declares (its `runFlags`, `replayFlags`, a command's `flags`), as one zod
 * object: the schema is both what the CLI registers (and prints in the help) and what checks the values.
 *
 * - a key `testCmd` is the flag `--test-cmd`;
 * - `.describe('...')` (or `.meta({ description })`) is its help line; `.meta({ placeholder: 'PATH' })` names
 *   its value in the help (default: the key in capitals);
 * - `z.boolean()` takes no value; `z.array(...)` may be given more than once; `z.enum([...])` lists its
 *   choices; `.optional()` or `.default(...)` makes it optional, anything else is required;
 * - values come from the command line as strings: numbers are converted before the schema sees them, so
 *   `z.number()` works as is.
 */
export type FlagSchema = z.ZodObject<z.ZodRawShape>;

export interface FlagDescriptor {
  /** The schema key, e.g. `testCmd`. */
  key: string;
  /** The flag, e.g. `--test-cmd`. */
  flag: string;
  description: string;
  /** Shown for the value in the help, e.g. `PATH`; absent for a boolean flag. */
  placeholder?: string;
  /** May be given more than once (`z.array`). */
  repeatable: boolean;
  required: boolean;
  /** Allowed values (`z.enum`). */
  choices?: readonly string[];
  /** The schema's default, shown in the help. */
  defaultValue?: unknown;
  /** The value is converted to a number before the schema checks it. */
  numeric: boolean;
}

/** `testCmd` → `--test-cmd`. */
export function flagFor(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

type AnySchema = z.core.$ZodType;

/** One descriptor per key of the schema, in declaration order. */
export function describeFlags(schema: FlagSchema): FlagDescriptor[] {
  return Object.entries(schema.shape).map(([key, field]) => describeFlag(key, field as AnySchema));
}

function describeFlag(key: string, field: AnySchema): FlagDescriptor {
  let description: string | undefined;
  let placeholder: string | undefined;
  let required = true;
  let defaultValue: unknown;
  let node: AnySchema = field;
  // Unwrap optional/default/nullable/pipe layers; meta may sit on any of them (outermost wins).
  for (;;) {
    const meta = z.globalRegistry.get(node) as { description?: string; placeholder?: string } | undefined;
    description ??= meta?.description;
    placeholder ??= meta?.placeholder;
    const def = node._zod.def as { type: string; innerType?: AnySchema; in?: AnySchema; defaultValue?: unknown };
    if (def.type === 'optional' || def.type === 'nullable') required = false;
    else if (def.type === 'default' || def.type === 'prefault') {
      required = false;
      defaultValue ??= def.defaultValue;
    } else if (def.type !== 'pipe') break;
    const next = def.innerType ?? def.in;
    if (!next) break;
    node = next;
  }
  const def = node._zod.def as { type: string; element?: AnySchema; entries?: Record<string, string> };
  const repeatable = def.type === 'array';
  const base =
    repeatable && def.element ? (def.element._zod.def as { type: string; entries?: Record<string, string> }) : def;
  const isBoolean = base.type === 'boolean';
  const choices = base.type === 'enum' && base.entries ? Object.values(base.entries) : undefined;
  return {
    key,
    flag: flagFor(key),
    description: description ?? '',
    ...(isBoolean ? {} : { placeholder: placeholder ?? key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase() }),
    repeatable,
    // A boolean flag is false when absent: never required on the command line.
    required: required && !isBoolean,
    ...(choices ? { choices } : {}),
    ...(defaultValue !== undefined &&
    !(isBoolean && defaultValue === false) &&
    !(Array.isArray(defaultValue) && defaultValue.length === 0)
      ? { defaultValue }
      : {}),
    numeric: base.type === 'number',
  };
}

/**
 * Checks flag values (from the command line: strings, string arrays, booleans; or from a library caller)
 * against the schema. Every problem is a TaskError naming the flag (exit 2), e.g.
 * `refinery run: --test-timeout: must be a positive number, got 'soon'`.
 */
export function parsePipelineFlags<S extends FlagSchema>(
  schema: S,
  values: Record<string, unknown>,
  command: string,
): z.output<S> {
  const descriptors = new Map(describeFlags(schema).map((d) => [d.key, d]));
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const descriptor = descriptors.get(key);
    if (!descriptor) {
      const known = [...descriptors.values()].map((d) => d.flag).join(', ') || 'none';
      throw new TaskError(command, flagFor(key), `unknown flag (known: ${known})`);
    }
    input[key] = descriptor.numeric ? toNumber(value) : value;
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data as z.output<S>;
  const issue = parsed.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const flag = flagFor(key);
  if (values[key] === undefined)
    throw new TaskError(command, flag, `required (${descriptors.get(key)?.description || 'no description'})`);
  const raw = values[key];
  const got = typeof raw === 'string' ? `'${raw}'` : JSON.stringify(raw);
  const notANumber = descriptors.get(key)?.numeric && typeof input[key] === 'number' && !Number.isFinite(input[key]);
  throw new TaskError(command, flag, `${notANumber ? 'expects a number' : issue.message}, got ${got}`);
}

function toNumber(value: unknown): unknown {
  if (typeof value === 'string') return value.trim() === '' ? Number.NaN : Number(value);
  if (Array.isArray(value)) return value.map(toNumber);
  return value;
}

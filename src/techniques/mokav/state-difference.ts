/**
 * Execution information E (techniques §2.5). The tracer gives, per local variable, the distinct values it takes
 * (as `str`), in order of first appearance. For each direction, the first common variable (in the first
 * version's order of appearance) that takes a value the other version never gives it.
 */
export type VariableValues = readonly (readonly [name: string, values: readonly string[]])[];

export interface UniqueState {
  variable: string;
  value: string;
}

export interface StateDifference {
  /** A value Q's variable takes that P's never does. */
  patched: UniqueState | null;
  /** A value P's variable takes that Q's never does. */
  original: UniqueState | null;
}

/** Mokav skips these (the converted program's inputs and output list) and values of 50 characters or more. */
const SKIPPED = new Set(['args', 'global_list']);
export const MAX_VALUE_LENGTH = 50;

function usable(vars: VariableValues): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [name, values] of vars) {
    if (SKIPPED.has(name) || map.has(name)) continue;
    map.set(
      name,
      values.filter((value) => value.length < MAX_VALUE_LENGTH),
    );
  }
  return map;
}

export function firstUniqueState(left: VariableValues, right: VariableValues): UniqueState | null {
  const l = usable(left);
  const r = usable(right);
  for (const [variable, values] of l) {
    const other = r.get(variable);
    if (other === undefined) continue;
    const seen = new Set(other);
    const value = values.find((v) => !seen.has(v));
    if (value !== undefined) return { variable, value };
  }
  return null;
}

export function stateDifference(patched: VariableValues, original: VariableValues): StateDifference {
  return { patched: firstUniqueState(patched, original), original: firstUniqueState(original, patched) };
}

import { canonicalJson } from './canonical-json.ts';

/** Keys whose values legitimately differ between two runs of the same step (timings, the sandbox mode). */
export const VOLATILE_KEY = /^(durationMs|duration_ms|wallMs|elapsedMs|latencyMs|startedAt|finishedAt|sandbox)$/;

/** `value` without its volatile keys at any depth: what two runs of the same step must agree on. */
export function stableValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stableValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!VOLATILE_KEY.test(k)) out[k] = stableValue(v);
    return out;
  }
  return value;
}

/** Canonical JSON (sorted keys) indented by two spaces: the text divergence diffs compare line by line. */
export function prettyCanonicalJson(value: unknown): string {
  return JSON.stringify(JSON.parse(canonicalJson(value) ?? 'null'), null, 2);
}

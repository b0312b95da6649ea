/** Anything with a case-insensitive `get(name)`, such as the Fetch `Headers` the SDKs expose on errors. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * The wait a server asked for, in ms: `retry-after-ms` first (OpenAI and Anthropic send it), then
 * `retry-after` as seconds or as an HTTP date. Undefined when absent, unparsable or negative.
 */
export function parseRetryAfter(headers: HeaderLookup | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

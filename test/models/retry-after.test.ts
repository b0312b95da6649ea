import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/models/retry-after.ts';

const headers = (values: Record<string, string>) => new Headers(values);

describe('parseRetryAfter', () => {
  it('reads retry-after-ms before retry-after', () => {
    expect(parseRetryAfter(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1500);
  });

  it('reads retry-after as seconds, fractions included', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '3' }))).toBe(3000);
    expect(parseRetryAfter(headers({ 'retry-after': '0.5' }))).toBe(500);
  });

  it('reads retry-after as an HTTP date relative to now', () => {
    const now = Date.parse('Wed, 25 Nov 2026 10:00:00 GMT');
    expect(parseRetryAfter(headers({ 'retry-after': 'Wed, 25 Nov 2026 10:00:30 GMT' }), now)).toBe(30_000);
    expect(parseRetryAfter(headers({ 'retry-after': 'Wed, 25 Nov 2026 09:00:00 GMT' }), now)).toBe(0);
  });

  it('ignores absent, negative and unparsable values', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter(headers({}))).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': '-4' }))).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after-ms': 'x', 'retry-after': '2' }))).toBe(2000);
  });
});

import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dedupeStrings } from '../../../src/execution/batch/dedupe-strings.ts';
import { contentHash } from '../../../src/execution/cache/content-hash.ts';
import { ResultCache } from '../../../src/execution/cache/result-cache.ts';

const dir = mkdtempSync(join(tmpdir(), 'refinery-cache-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ResultCache', () => {
  it('persists entries across instances and skips a line cut short by a killed writer', () => {
    const at = join(dir, 'a');
    const first = new ResultCache<{ n: number }>(at);
    expect(first.get('k1')).toBeUndefined();
    first.set('k1', { n: 1 });
    first.set('k2', { n: 2 });
    expect(first.get('k1')).toEqual({ n: 1 });
    first.flush();
    const [segment] = readdirSync(at);
    appendFileSync(join(at, segment!), '{"k":"k3","v":{"n"');
    const second = new ResultCache<{ n: number }>(at);
    expect(second.get('k2')).toEqual({ n: 2 });
    expect(second.get('k3')).toBeUndefined();
    expect(second.size).toBe(2);
    expect(second.counters).toMatchObject({ hits: 1, misses: 1 });
  });

  it('keeps concurrent writers in separate segments', () => {
    const at = join(dir, 'b');
    const a = new ResultCache(at);
    const b = new ResultCache(at);
    a.set('x', 1);
    b.set('y', 2);
    a.flush();
    b.flush();
    expect(readdirSync(at)).toHaveLength(2);
    const reader = new ResultCache(at);
    expect([reader.get('x'), reader.get('y')]).toEqual([1, 2]);
  });
});

describe('contentHash', () => {
  it('separates parts unambiguously', () => {
    expect(contentHash('ab', 'c')).not.toBe(contentHash('a', 'bc'));
    expect(contentHash('ab', 'c')).toBe(contentHash('ab', 'c'));
  });
});

describe('dedupeStrings', () => {
  it('keeps first-occurrence order and counts repeats', () => {
    expect(dedupeStrings(['b', 'a', 'b', 'b', 'c'])).toEqual({
      distinct: ['b', 'a', 'c'],
      counts: [3, 1, 1],
      index: [0, 1, 0, 0, 2],
    });
  });
});

import { describe, expect, it } from 'vitest';
import { formatKeyPath, parseDottedPath } from '../../src/config/config-key-path.ts';
import { mergeConfigTrees, setAtPath } from '../../src/config/config-tree.ts';
import { interpolateEnv } from '../../src/config/env-interpolation.ts';
import { closest } from '../../src/config/zod-config-issues.ts';

describe('interpolateEnv', () => {
  const env = { A: 'alpha', EMPTY: '' };
  it('expands, defaults, escapes and reports', () => {
    expect(interpolateEnv('x-${A}-y', env)).toEqual({ value: 'x-alpha-y', secrets: ['alpha'], missing: [] });
    expect(interpolateEnv('${B:-beta}', env)).toEqual({ value: 'beta', secrets: [], missing: [] });
    expect(interpolateEnv('${EMPTY:-fallback}', env).value).toBe('fallback');
    expect(interpolateEnv('${EMPTY}', env)).toEqual({ value: '', secrets: [], missing: [] });
    expect(interpolateEnv('$${A} costs $5', env).value).toBe('${A} costs $5');
    expect(interpolateEnv('${B}${C}', env).missing).toEqual(['B', 'C']);
    expect(interpolateEnv('${A', env).error).toContain('unclosed');
    expect(interpolateEnv('${A-B}', env).error).toContain('malformed variable reference "${A-B}"');
  });
});

describe('key paths', () => {
  it('parses dotted paths with quoted segments and rejects empty ones', () => {
    expect(parseDottedPath('a.b.c')).toEqual(['a', 'b', 'c']);
    expect(parseDottedPath('pricing."gpt-4.1".inputPerMTok')).toEqual(['pricing', 'gpt-4.1', 'inputPerMTok']);
    expect(parseDottedPath('')).toEqual({ error: 'empty key path' });
    expect(parseDottedPath('a.')).toHaveProperty('error');
    expect(parseDottedPath('.a')).toHaveProperty('error');
    expect(parseDottedPath('a."b')).toHaveProperty('error');
  });
  it('formats list indices and quotes odd keys', () => {
    expect(formatKeyPath([])).toBe('(root)');
    expect(formatKeyPath(['models', 'gpt-4.1', 'params', 'stop', 0])).toBe('models."gpt-4.1".params.stop[0]');
  });
});

describe('merging and --set writes', () => {
  it('does not mutate its inputs and refuses to write through a scalar', () => {
    const base = { a: { b: 1, c: [1, 2] } };
    const merged = mergeConfigTrees(base, { a: { c: [3] } }) as Record<string, unknown>;
    expect(merged).toEqual({ a: { b: 1, c: [3] } });
    expect(setAtPath(merged, ['a', 'd', 'e'], 5)).toBeUndefined();
    expect(base).toEqual({ a: { b: 1, c: [1, 2] } });
    expect(setAtPath(merged, ['a', 'b', 'x'], 1)).toContain('a.b: it is a number');
    expect(setAtPath(merged, ['a', 'c', 'x'], 1)).toContain('it is a list');
  });
  it('keeps a __proto__ key as data', () => {
    const merged = mergeConfigTrees({}, JSON.parse('{"__proto__": {"polluted": 1}}')) as Record<string, unknown>;
    expect(Object.keys(merged)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('closest', () => {
  it('suggests near misses and prefixes, nothing for unrelated words', () => {
    expect(closest('temprature', ['temperature', 'topP'])).toBe('temperature');
    expect(closest('timeout', ['timeoutSec', 'cpuSec'])).toBe('timeoutSec');
    expect(closest('banana', ['graph', 'models'])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { parseTesterReply } from '../../../agents/codet-tester/parse-tester-reply.ts';
import { extractTests } from '../../../src/techniques/codet/extract-tests.ts';

describe('parseTesterReply', () => {
  it('returns plain continuations unchanged and keeps only code blocks otherwise', () => {
    expect(parseTesterReply('add(1, 2) == 3\n')).toBe('add(1, 2) == 3\n');
    const reply = 'The add tests:\n```python\nassert add(1, 2) == 3\n```\nand\n```\nassert add(0, 0) == 0\n```';
    const text = parseTesterReply(reply);
    expect(extractTests(text, 'add')).toEqual(['assert add(1, 2) == 3', 'assert add(0, 0) == 0']);
  });
});

import { describe, expect, it } from 'vitest';
import { parseRepairReply, parseTestReply, testFileFor } from '../../../agents/mutap-tester/parse-test-reply.ts';

describe('the MuTAP tester reply parser', () => {
  it("takes a completion model's continuation as the body, cut at the closing test tag", () => {
    expect(parseTestReply('    assert f(1) == 2\n    assert f(2) == 3\n#</test>\nmore')).toBe(
      '    assert f(1) == 2\n    assert f(2) == 3\n',
    );
  });

  it("takes what follows the header when the reply repeats the file (the released raw files' shape)", () => {
    const reply = 'def f(x):\n    """doc"""\n    return x\n\ndef test():\n    assert f(1) == 1\n';
    expect(parseTestReply(reply)).toBe('    assert f(1) == 1\n');
    expect(testFileFor('def f(x):\n    return x\n', parseTestReply(reply))).toBe(
      'def f(x):\n    return x\n\ndef test():\n    assert f(1) == 1\n',
    );
  });

  it("reads a chat model's fenced test function", () => {
    const reply = 'Here are tests:\n```python\ndef test():\n    assert f(1) == 1\n```\nThey check f.';
    expect(parseTestReply(reply)).toBe('    assert f(1) == 1');
  });

  it('appends a repair reply without its leading whitespace', () => {
    expect(parseRepairReply('  0)\n')).toBe('0)\n');
    expect(parseRepairReply('```python\n0)\n```')).toBe('0)');
  });
});

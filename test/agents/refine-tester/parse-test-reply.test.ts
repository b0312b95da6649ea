import { describe, expect, it } from 'vitest';
import { parseTestReply } from '../../../agents/refine-tester/parse-test-reply.ts';

const fence = '```';

describe('parseTestReply', () => {
  const opts = { entryPoint: 'g', visibleTests: ['assert g(1) == 2'], max: 3 };

  it('keeps one-line asserts that call the entry point and says why others were dropped', () => {
    const reply = [
      `${fence}python`,
      'assert g(0) == 1',
      'assert g( 1 ) == 2',
      'assert len([1]) == 1',
      'assert g([1,',
      'assert g(0) == 1',
      'x = g(5)',
      'assert g(-1) == 0;',
      fence,
    ].join('\n');
    const parsed = parseTestReply(reply, opts);
    expect(parsed.tests).toEqual(['assert g(0) == 1', 'assert g(-1) == 0']);
    expect(parsed.rejected).toEqual([
      { test: 'assert g( 1 ) == 2', reason: 'duplicate' },
      { test: 'assert len([1]) == 1', reason: 'does not call g' },
      { test: 'assert g([1,', reason: 'not a complete one-line statement' },
      { test: 'assert g(0) == 1', reason: 'duplicate' },
    ]);
  });

  it('reads a block closed by a longer fence and ignores the prose around it', () => {
    const reply = ['assert g(7) == 8 is my guess', '~~~python', 'assert g(2) == 3', '~~~~', 'assert g(9) == 1'].join(
      '\n',
    );
    expect(parseTestReply(reply, opts).tests).toEqual(['assert g(2) == 3']);
  });

  it('reads every line when the reply has no code block, and caps the count', () => {
    const reply = 'Tests:\nassert g(1) == 9\nassert g(2) == 3\nassert g(3) == 4\nassert g(4) == 5\nassert g(5) == 6';
    const parsed = parseTestReply(reply, opts);
    expect(parsed.tests).toEqual(['assert g(1) == 9', 'assert g(2) == 3', 'assert g(3) == 4']);
    expect(parsed.rejected.map((r) => r.reason)).toEqual(['over the limit of 3', 'over the limit of 3']);
  });

  it('is not fooled by brackets or quotes inside string literals', () => {
    const parsed = parseTestReply("assert g('(') == ')'\nassert g(\"it's\") == 1\nassert g('x) == 1", opts);
    expect(parsed.tests).toEqual(["assert g('(') == ')'", 'assert g("it\'s") == 1']);
    expect(parsed.rejected).toEqual([{ test: "assert g('x) == 1", reason: 'not a complete one-line statement' }]);
  });
});

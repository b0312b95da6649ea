import { describe, expect, it } from 'vitest';
import { parseCodeReply } from '../../agents/refine-coder/parse-code-reply.ts';
import { parsePlanReply } from '../../agents/refine-planner/parse-plan-reply.ts';
import { parseTestReply } from '../../agents/refine-tester/parse-test-reply.ts';
import { parseCriticReply } from '../../agents/refine-critic/parse-critic-reply.ts';

const fence = '```';

describe('parseCodeReply', () => {
  it('extracts the python block from prose around it', () => {
    const reply = `Here you go:\n\n${fence}python\ndef f(x):\n    return x + 1\n${fence}\n`;
    expect(parseCodeReply(reply, 'f')).toEqual({ ok: true, code: 'def f(x):\n    return x + 1' });
  });

  it('prefers the block that defines the entry point over an earlier usage example', () => {
    const reply = `Usage:\n${fence}python\nprint(f(2))\n${fence}\nCode:\n${fence}python\nimport math\n\ndef f(x):\n    return math.floor(x)\n${fence}`;
    const parsed = parseCodeReply(reply, 'f');
    expect(parsed.ok && parsed.code.startsWith('import math')).toBe(true);
  });

  it('ignores blocks tagged with another language', () => {
    const reply = `${fence}bash\npip install nothing\n${fence}\n${fence}\ndef f():\n    return 1\n${fence}`;
    expect(parseCodeReply(reply, 'f')).toEqual({ ok: true, code: 'def f():\n    return 1' });
  });

  it('accepts ~~~ fences, CRLF line ends and strips trailing spaces', () => {
    const reply = '~~~py\r\ndef f():  \r\n    return 2\r\n~~~\r\n';
    expect(parseCodeReply(reply, 'f')).toEqual({ ok: true, code: 'def f():\n    return 2' });
  });

  it('keeps an unclosed fence (a reply cut at the token limit) up to the end', () => {
    const parsed = parseCodeReply(`${fence}python\ndef f(x):\n    return [x,`, 'f');
    expect(parsed).toEqual({ ok: true, code: 'def f(x):\n    return [x,' });
  });

  it('takes an unfenced reply only when it starts like Python code', () => {
    expect(parseCodeReply('def f():\n    return 3\n', 'f')).toEqual({ ok: true, code: 'def f():\n    return 3' });
    expect(parseCodeReply('from math import pi\ndef f():\n    return pi', 'f').ok).toBe(true);
    const prose = parseCodeReply('I would loop over the list and keep the maximum.', 'f');
    expect(prose).toEqual({ ok: false, reason: 'the reply contained no ```python code block' });
  });

  it('reports an empty reply and an empty block as parse failures', () => {
    expect(parseCodeReply('   ', 'f')).toEqual({ ok: false, reason: 'the reply was empty' });
    expect(parseCodeReply(`${fence}python\n\n${fence}`, 'f')).toEqual({ ok: false, reason: 'the reply contained an empty code block' });
  });

  it('does not mistake a differently named function for the entry point', () => {
    const reply = `${fence}python\ndef fx():\n    return 0\n${fence}\n${fence}python\ndef f():\n    return 1\n${fence}`;
    expect(parseCodeReply(reply, 'f')).toEqual({ ok: true, code: 'def f():\n    return 1' });
  });
});

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
    const reply = ['assert g(7) == 8 is my guess', '~~~python', 'assert g(2) == 3', '~~~~', 'assert g(9) == 1'].join('\n');
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

describe('parsePlanReply', () => {
  it('drops code blocks, collapses blank runs and trims', () => {
    const reply = `\n- keep a running max\n\n\n\n${fence}python\ndef f(): pass\n${fence}\n- handle []   \n`;
    expect(parsePlanReply(reply)).toBe('- keep a running max\n\n- handle []');
  });

  it('cuts a long plan at a line boundary and says so', () => {
    const plan = parsePlanReply(Array.from({ length: 100 }, (_, i) => `- step ${i} ${'x'.repeat(20)}`).join('\n'));
    expect(plan.length).toBeLessThan(1600);
    expect(plan.endsWith('(plan cut at 1500 characters)')).toBe(true);
    expect(plan.split('\n').at(-2)).toMatch(/^- step \d+ x{20}$/);
  });
});

describe('parseCriticReply', () => {
  it('trims and caps the analysis', () => {
    expect(parseCriticReply('  Line 3 is wrong.  \n\n\n\nUse <=.\n')).toBe('Line 3 is wrong.\n\nUse <=.');
    expect(parseCriticReply('y'.repeat(5000)).length).toBeLessThan(1300);
  });
});

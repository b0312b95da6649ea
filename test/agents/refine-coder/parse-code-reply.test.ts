import { describe, expect, it } from 'vitest';
import { parseCodeReply } from '../../../agents/refine-coder/parse-code-reply.ts';

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
    expect(parseCodeReply(`${fence}python\n\n${fence}`, 'f')).toEqual({
      ok: false,
      reason: 'the reply contained an empty code block',
    });
  });

  it('does not mistake a differently named function for the entry point', () => {
    const reply = `${fence}python\ndef fx():\n    return 0\n${fence}\n${fence}python\ndef f():\n    return 1\n${fence}`;
    expect(parseCodeReply(reply, 'f')).toEqual({ ok: true, code: 'def f():\n    return 1' });
  });
});

import { describe, expect, it } from 'vitest';
import { parseCoderReply } from '../../../agents/codet-coder/parse-coder-reply.ts';

const prompt = 'def add(a, b):\n    """Add two numbers."""\n';

describe('parseCoderReply', () => {
  it('returns plain continuations unchanged', () => {
    expect(parseCoderReply('    return a + b\n', prompt, 'add')).toBe('    return a + b\n');
  });

  it('takes the text after a repeated prompt inside a code block', () => {
    const reply = `Here you go:\n\`\`\`python\n${prompt}    return a + b\n\`\`\`\nDone.`;
    expect(parseCoderReply(reply, prompt, 'add')).toBe('    return a + b\n');
  });

  it('takes the body after a redefined entry point signature', () => {
    const reply = '```python\nimport math\n\ndef add(a: int,\n        b: int) -> int:  # sum\n    return a + b\n```';
    expect(parseCoderReply(reply, prompt, 'add')).toBe('    return a + b\n');
  });

  it('reads a block cut off at the token limit, and no fence in the middle of a line', () => {
    expect(parseCoderReply('```python\ndef add(a, b):\n    return a +', prompt, 'add')).toBe('    return a +\n');
    const inline = 'Write ```python\n    return a + b\nand call it.\n';
    expect(parseCoderReply(inline, prompt, 'add')).toBe(inline);
  });
});

import { describe, expect, it } from 'vitest';
import { closesFence, fenceOpening, fenceText, parseFencedBlocks } from '../../src/text/markdown-fences.ts';

describe('parseFencedBlocks', () => {
  it('reads backtick and tilde fences with their info string, language and line numbers', () => {
    const text = 'Intro\n```Python {.numberLines}\ndef f():\n    return 1\n```\nMiddle\n~~~\nplain\n~~~\n';
    expect(parseFencedBlocks(text)).toEqual([
      {
        indent: 0,
        fence: '```',
        info: 'Python {.numberLines}',
        language: 'python',
        content: 'def f():\n    return 1',
        openLine: 2,
        closeLine: 5,
        closed: true,
      },
      { indent: 0, fence: '~~~', info: '', language: '', content: 'plain', openLine: 7, closeLine: 9, closed: true },
    ]);
  });

  it('closes only on the same character with a fence at least as long', () => {
    const [block] = parseFencedBlocks('````md\n```\ninner\n~~~~\n`````\nafter');
    expect(block).toMatchObject({ fence: '````', content: '```\ninner\n~~~~', closeLine: 5, closed: true });
  });

  it('reports an unclosed fence as running to the end of the text', () => {
    expect(parseFencedBlocks('text\n```python\ndef f(x):\n    return [x,\n')).toEqual([
      {
        indent: 0,
        fence: '```',
        info: 'python',
        language: 'python',
        content: 'def f(x):\n    return [x,',
        openLine: 2,
        closeLine: 4,
        closed: false,
      },
    ]);
    expect(parseFencedBlocks('```')).toMatchObject([{ content: '', openLine: 1, closeLine: 1, closed: false }]);
  });

  it('allows 0-3 spaces of indentation and removes that much from the content', () => {
    const [block] = parseFencedBlocks('  ```py\n  def f():\n      return 2\n x\n   ```');
    expect(block).toMatchObject({ indent: 2, content: 'def f():\n    return 2\nx', closed: true });
    expect(parseFencedBlocks('    ```\n    code\n    ```')).toEqual([]);
  });

  it('does not close on a fence followed by text, nor open on a backtick fence whose info has a backtick', () => {
    expect(parseFencedBlocks('```\na\n``` not a close\n```')).toMatchObject([
      { content: 'a\n``` not a close', closed: true },
    ]);
    expect(parseFencedBlocks('``` inline `code` ```\nprose')).toEqual([]);
    expect(parseFencedBlocks('~~~ info with `ticks`\nx\n~~~')).toMatchObject([
      { info: 'info with `ticks`', content: 'x' },
    ]);
  });

  it('reads CRLF and CR line ends like LF', () => {
    expect(parseFencedBlocks('```\r\na\r\nb\r```\r\n')).toMatchObject([
      { content: 'a\nb', closeLine: 4, closed: true },
    ]);
  });
});

describe('fence lines', () => {
  it('tells opening and closing fences apart', () => {
    expect(fenceOpening('   ~~~~ rust')).toEqual({ indent: 3, fence: '~~~~', info: 'rust' });
    expect(fenceOpening('``')).toBeUndefined();
    expect(closesFence('```` ', '```')).toBe(true);
    expect(closesFence('~~~', '```')).toBe(false);
    expect(closesFence('``', '```')).toBe(false);
  });
});

describe('fenceText', () => {
  it('picks a fence longer than any backtick run inside, so the block reads back unchanged', () => {
    expect(fenceText('print(1)')).toBe('```\nprint(1)\n```');
    expect(fenceText('a\n', 'python')).toBe('```python\na\n```');
    expect(fenceText('')).toBe('```\n```');
    const nested = 'Example:\n````md\n```py\nx\n```\n````\n';
    const written = fenceText(nested);
    expect(written.startsWith('`````\n')).toBe(true);
    expect(parseFencedBlocks(written)).toMatchObject([{ content: nested.slice(0, -1), closed: true }]);
  });
});

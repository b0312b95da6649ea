import { describe, expect, it } from 'vitest';
import { EditParseError } from '../../src/editing/edit-parse-error.ts';
import { parseEditBlocks } from '../../src/editing/parse-edit-blocks.ts';

describe('parseEditBlocks', () => {
  it('reads path, search and replace from a fenced Aider-style block', () => {
    const reply = [
      'I will fix the off-by-one.',
      '',
      'pkg/calc.py',
      '```python',
      '<<<<<<< SEARCH',
      'def add(a, b):',
      '    return a - b',
      '=======',
      'def add(a, b):',
      '    return a + b',
      '>>>>>>> REPLACE',
      '```',
    ].join('\n');
    const blocks = parseEditBlocks(reply);
    expect(blocks).toEqual([
      {
        path: 'pkg/calc.py',
        search: 'def add(a, b):\n    return a - b\n',
        replace: 'def add(a, b):\n    return a + b\n',
        replyLine: 5,
      },
    ]);
  });

  it('strips decorations from the path line and reuses the previous path when a block has none', () => {
    const reply = [
      '**`src/a.js`**:',
      '<<<<<<< SEARCH',
      'x',
      '=======',
      'y',
      '>>>>>>> REPLACE',
      '<<<<<<< SEARCH',
      'p',
      '=======',
      'q',
      '>>>>>>> REPLACE',
    ].join('\n');
    const blocks = parseEditBlocks(reply);
    expect(blocks.map((b) => [b.path, b.search, b.replace])).toEqual([
      ['src/a.js', 'x\n', 'y\n'],
      ['src/a.js', 'p\n', 'q\n'],
    ]);
  });

  it('gives an empty search for a new-file block and an empty replace for a deletion', () => {
    const reply =
      'new.txt\n<<<<<<< SEARCH\n=======\nhello\n>>>>>>> REPLACE\nold.txt\n<<<<<<< SEARCH\ngone\n=======\n>>>>>>> REPLACE\n';
    const blocks = parseEditBlocks(reply);
    expect(blocks.map((b) => [b.path, b.search, b.replace])).toEqual([
      ['new.txt', '', 'hello\n'],
      ['old.txt', 'gone\n', ''],
    ]);
  });

  it('normalises CRLF replies', () => {
    const blocks = parseEditBlocks('a.txt\r\n<<<<<<< SEARCH\r\none\r\n=======\r\ntwo\r\n>>>>>>> REPLACE\r\n');
    expect(blocks[0]?.search).toBe('one\n');
    expect(blocks[0]?.replace).toBe('two\n');
  });

  it('returns no blocks for prose', () => {
    expect(parseEditBlocks('The tests already pass; nothing to change.')).toEqual([]);
  });

  it('rejects an unterminated block with the line of its SEARCH marker', () => {
    const reply = 'x.py\n<<<<<<< SEARCH\na\n=======\nb\n';
    expect(() => parseEditBlocks(reply)).toThrow(EditParseError);
    try {
      parseEditBlocks(reply);
    } catch (error) {
      expect((error as EditParseError).replyLine).toBe(2);
      expect((error as EditParseError).problem).toMatch(/REPLACE/);
    }
  });

  it('rejects a block with no path when no earlier block gave one', () => {
    expect(() => parseEditBlocks('Here is the change:\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n')).toThrow(
      /no file path/,
    );
  });

  it('rejects a stray divider', () => {
    expect(() => parseEditBlocks('text\n=======\nmore')).toThrow(/outside a block/);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEditBlocks } from '../../src/editing/apply-edit-blocks.ts';
import { applyEditToText } from '../../src/editing/apply-edit-to-text.ts';
import { formatEditFailures } from '../../src/editing/format-edit-failures.ts';
import { parseEditBlocks } from '../../src/editing/parse-edit-blocks.ts';

/** 3 functions with the same body at lines 2, 102 and 202; filler lines between. */
function repeated(): string {
  const lines: string[] = [];
  for (let n = 1; n <= 300; n++) {
    if (n % 100 === 1) lines.push(`def handler_${(n - 1) / 100}(event):`);
    else if (n % 100 === 2) lines.push('    return None');
    else lines.push(`# filler ${n}`);
  }
  return `${lines.join('\n')}\n`;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('line-anchored SEARCH/REPLACE blocks', () => {
  it('reads the anchor from the marker, in each spelling', () => {
    for (const marker of ['<<<<<<< SEARCH line 102', '<<<<<<< SEARCH lines 102-103', '<<<<<<< SEARCH @102']) {
      const [block] = parseEditBlocks(
        ['a.py', marker, '    return None', '=======', '    return 1', '>>>>>>> REPLACE'].join('\n'),
      );
      expect(block).toMatchObject({ anchorLine: 102, search: '    return None\n', replace: '    return 1\n' });
    }
  });

  it('takes the anchor from line numbers copied out of open_file, and removes them', () => {
    const reply = [
      'a.py',
      '<<<<<<< SEARCH',
      '101| def handler_1(event):',
      '102|     return None',
      '=======',
      '101| def handler_1(event):',
      '102|     return event',
      '>>>>>>> REPLACE',
    ].join('\n');
    expect(parseEditBlocks(reply)).toEqual([
      {
        path: 'a.py',
        search: 'def handler_1(event):\n    return None\n',
        replace: 'def handler_1(event):\n    return event\n',
        replyLine: 2,
        anchorLine: 101,
      },
    ]);
  });

  it('leaves lines that only look numbered alone unless every SEARCH line is, in order', () => {
    const [block] = parseEditBlocks(
      ['t.txt', '<<<<<<< SEARCH', '1| one', '3| three', '=======', 'x', '>>>>>>> REPLACE'].join('\n'),
    );
    expect(block?.search).toBe('1| one\n3| three\n');
    expect(block?.anchorLine).toBeUndefined();
  });

  it('an anchor picks one of several occurrences; without one they are ambiguous', () => {
    const text = repeated();
    const plain = applyEditToText(text, '    return None\n', '    return event\n');
    expect(plain).toEqual({ ok: false, reason: { kind: 'ambiguous', lines: [2, 102, 202] } });
    const anchored = applyEditToText(text, '    return None\n', '    return event\n', 104);
    expect(anchored.ok).toBe(true);
    const lines = anchored.ok ? anchored.content.split('\n') : [];
    expect([lines[1], lines[101], lines[201]]).toEqual(['    return None', '    return event', '    return None']);
  });

  it('an anchor far from every occurrence is still ambiguous, and says how to fix it', () => {
    const result = applyEditToText(repeated(), '    return None\n', 'x\n', 150);
    expect(result).toEqual({ ok: false, reason: { kind: 'ambiguous', lines: [2, 102, 202], anchorLine: 150 } });
    const message = formatEditFailures(
      [
        {
          block: { path: 'a.py', search: '', replace: '', replyLine: 3 },
          ...(result.ok ? ({} as never) : result.reason),
        },
      ],
      0,
    );
    expect(message).toContain('none is the one nearest line 150 within 20 lines');
  });

  it('a miss shows the closest window near the anchor, not the first similar one in the file', () => {
    const text = repeated();
    const search = 'def handler_2(evnt):\n    return None\n';
    const far = applyEditToText(text, search, 'x\n');
    const near = applyEditToText(text, search, 'x\n', 201);
    expect(far.ok || far.reason.kind !== 'no-match' ? undefined : far.reason.closest?.startLine).toBe(201);
    const closest = near.ok || near.reason.kind !== 'no-match' ? undefined : near.reason.closest;
    expect(closest).toMatchObject({ startLine: 201, endLine: 202 });
    const oneOff = applyEditToText(text, 'def handler_0(evnt):\n    return None\n', 'x\n', 201);
    // Near line 201 the best window is handler_2, even though handler_0 (line 1) is the closer text overall.
    expect(oneOff.ok || oneOff.reason.kind !== 'no-match' ? undefined : oneOff.reason.closest?.startLine).toBe(201);
  });

  it("anchors of later blocks refer to the file as shown, before the reply's earlier blocks", () => {
    const dir = mkdtempSync(join(tmpdir(), 'refinery-anchor-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'a.py'), repeated());
    const reply = [
      'a.py',
      '<<<<<<< SEARCH line 2',
      '    return None',
      '=======',
      '    # five new lines',
      '    a = 1',
      '    b = 2',
      '    c = 3',
      '    return a + b + c',
      '>>>>>>> REPLACE',
      'a.py',
      '<<<<<<< SEARCH line 202',
      '    return None',
      '=======',
      '    return "last"',
      '>>>>>>> REPLACE',
    ].join('\n');
    const result = applyEditBlocks(dir, parseEditBlocks(reply));
    expect(result.failures).toEqual([]);
    const lines = readFileSync(join(dir, 'a.py'), 'utf8').split('\n');
    expect(lines[105]).toBe('    return None');
    expect(lines[205]).toBe('    return "last"');
  });
});

import { describe, expect, it } from 'vitest';
import { OUTPUT_CUT_MARKER, OutputCapture } from '../../src/execution/process/output-capture.ts';

const chunk = (text: string) => Buffer.from(text, 'utf8');

describe('OutputCapture', () => {
  it('keeps the first bytes up to the cap and reports the overflow', () => {
    const capture = new OutputCapture(8);
    expect(capture.push(chunk('abcde'))).toBe(true);
    expect(capture.push(chunk('fgh'))).toBe(true);
    expect(capture.truncated).toBe(false);
    expect(capture.push(chunk('ijk'))).toBe(false);
    expect(capture.text()).toBe('abcdefgh');
    expect(capture.truncated).toBe(true);
  });

  it('with a tail, keeps the start and the end and marks the cut', () => {
    const capture = new OutputCapture(8, 4);
    for (const part of ['FIRST', '-middle-', 'more-', 'LAST']) capture.push(chunk(part));
    expect(capture.truncated).toBe(true);
    expect(capture.text()).toBe(`FIRS${OUTPUT_CUT_MARKER}LAST`);
  });

  it('is not truncated while everything fits, with or without a tail', () => {
    const capture = new OutputCapture(8, 4);
    capture.push(chunk('abc'));
    capture.push(chunk('defgh'));
    expect(capture.truncated).toBe(false);
    expect(capture.text()).toBe('abcdefgh');
  });
});

import { describe, expect, it } from 'vitest';
import { benchFigures, verdictAgreement } from '../../../src/techniques/mokav/bench-figures.ts';
import { formatLetters, parseLetters } from '../../../src/techniques/mokav/config-letters.ts';
import { feedbackFacts, stateSentences } from '../../../src/techniques/mokav/feedback-facts.ts';
import { stateDifference } from '../../../src/techniques/mokav/state-difference.ts';
import { truncateHistory } from '../../../src/techniques/mokav/truncate-history.ts';

describe('configuration letters', () => {
  it('reads BA/AA then D, T, I, E', () => {
    const parsed = parseLetters('BADTIE');
    expect(parsed.ok && parsed.letters).toEqual({
      both: true,
      description: true,
      testFormat: true,
      exampleInput: true,
      execInfo: true,
    });
    const aat = parseLetters('AAT');
    expect(aat.ok && formatLetters(aat.letters)).toBe('AAT');
  });

  it('names an unknown or repeated letter', () => {
    expect(parseLetters('BADTX')).toEqual({ ok: false, message: expect.stringContaining("unknown letter 'X'") });
    expect(parseLetters('BATT')).toEqual({ ok: false, message: expect.stringContaining("'T' twice") });
    expect(parseLetters('TIE').ok).toBe(false);
  });
});

describe('execution information E (techniques §2.5)', () => {
  it('reports the first common variable (in order of appearance) with a value the other version never takes', () => {
    const patched = [
      ['args', ['x']],
      ['n', ['4']],
      ['k', ['1', '3']],
      ['only_q', ['9']],
    ] as const;
    const original = [
      ['n', ['4']],
      ['k', ['1', '2']],
      ['global_list', ['[]', '[9]']],
    ] as const;
    expect(stateDifference(patched, original)).toEqual({
      patched: { variable: 'k', value: '3' },
      original: { variable: 'k', value: '2' },
    });
  });

  it('skips args, global_list and values of 50 characters or more', () => {
    const long = 'x'.repeat(50);
    expect(
      stateDifference(
        [
          ['global_list', ['a']],
          ['v', [long]],
        ],
        [
          ['global_list', ['b']],
          ['v', ['y']],
        ],
      ),
    ).toEqual({
      patched: null,
      original: { variable: 'v', value: 'y' },
    });
  });

  it("feedback facts: E describes the example input and shows only x0's output; without E nothing but the generic text", () => {
    const letters = { both: true, description: true, testFormat: true, exampleInput: true, execInfo: true };
    const difference = { patched: null, original: { variable: 'k', value: '2' } };
    expect(feedbackFacts(letters, difference, '[1]')).toEqual({ stateDifference: difference, x0Output: '[1]' });
    expect(feedbackFacts(letters, difference, null).x0Output).toBe('');
    expect(feedbackFacts({ ...letters, execInfo: false }, difference, '[1]')).toEqual({
      stateDifference: null,
      x0Output: null,
    });
    expect(stateSentences(difference, 'your generated input')).toContain('`k` takes the value 2');
  });
});

describe('history truncation', () => {
  it('drops the oldest turns after the first pair while the joined texts exceed the limit', () => {
    const turns = [0, 1, 2, 3].map((i) => ({ user: `u${i}`.padEnd(10, '.'), reply: `r${i}`.padEnd(10, '.') }));
    // system 10 + 4 turns × 20 + message 10, joined with 9 newlines = 109
    expect(truncateHistory('s'.repeat(10), turns, 'm'.repeat(10), 109)).toHaveLength(4);
    const kept = truncateHistory('s'.repeat(10), turns, 'm'.repeat(10), 80);
    expect(kept.map((t) => t.user[1])).toEqual(['0', '3']);
    expect(truncateHistory('s'.repeat(500), turns, 'm', 10).map((t) => t.user[1])).toEqual(['0']);
  });
});

describe('bench figures', () => {
  const pairs = [
    { key: 'a', detRound: 1, candidates: [{ round: 0, sample: 0, verdict: 'DET' as const, dropped: false }] },
    {
      key: 'b',
      detRound: 3,
      candidates: [
        { round: 0, sample: 0, verdict: null, dropped: true },
        { round: 2, sample: 0, verdict: 'DET' as const, dropped: false },
      ],
    },
    { key: 'c', detRound: null, candidates: [{ round: 0, sample: 0, verdict: 'SAME' as const, dropped: false }] },
  ];

  it('counts pairs with a DET cumulatively by round, verdicts and drops', () => {
    expect(benchFigures(pairs, 3)).toEqual({
      pairs: 3,
      pairsWithDet: 2,
      byRound: [1, 1, 2],
      verdicts: { DET: 2, SAME: 1 },
      dropped: 1,
      samples: 4,
    });
  });

  it('agreement: every logged verdict must be ours; a sample we ran that Mokav did not is a mismatch', () => {
    const agreement = verdictAgreement(pairs, [
      { pair: 'a', round: 0, sample: 0, verdict: 'DET', parsed: true },
      { pair: 'b', round: 0, sample: 0, verdict: null, parsed: false },
      { pair: 'b', round: 2, sample: 0, verdict: 'SAME', parsed: true },
      { pair: 'c', round: 0, sample: 0, verdict: null, parsed: true },
      { pair: 'z', round: 0, sample: 0, verdict: 'DET', parsed: true },
    ]);
    expect(agreement.compared).toBe(3);
    expect(agreement.agreed).toBe(1);
    expect(agreement.mismatches.map((m) => `${m.pair}:${m.logged}:${m.ours}`)).toEqual(['b:SAME:DET', 'c:null:SAME']);
    expect([agreement.parseAgreed, agreement.parseCompared]).toEqual([4, 4]);
  });
});

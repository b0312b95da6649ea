import { describe, expect, it } from 'vitest';
import { parseCriticReply } from '../../../agents/refine-critic/parse-critic-reply.ts';

describe('parseCriticReply', () => {
  it('trims and caps the analysis', () => {
    expect(parseCriticReply('  Line 3 is wrong.  \n\n\n\nUse <=.\n')).toBe('Line 3 is wrong.\n\nUse <=.');
    expect(parseCriticReply('y'.repeat(5000)).length).toBeLessThan(1300);
  });
});

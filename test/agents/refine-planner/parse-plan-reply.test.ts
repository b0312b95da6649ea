import { describe, expect, it } from 'vitest';
import { parsePlanReply } from '../../../agents/refine-planner/parse-plan-reply.ts';

const fence = '```';

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

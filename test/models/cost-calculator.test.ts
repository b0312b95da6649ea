import { describe, expect, it } from 'vitest';
import { createCostCalculator, findPrice } from '../../src/models/cost-calculator.ts';
import { DEFAULT_PRICES } from '../../src/models/price-table.ts';

describe('price lookup', () => {
  it('prices dated snapshots and -latest aliases as their base model', () => {
    expect(findPrice('gpt-4o-2024-08-06', DEFAULT_PRICES)).toBe(DEFAULT_PRICES['gpt-4o']);
    expect(findPrice('claude-sonnet-4-5-20250929', DEFAULT_PRICES)).toBe(DEFAULT_PRICES['claude-sonnet-4-5']);
    expect(findPrice('claude-3-5-haiku-latest', DEFAULT_PRICES)).toBe(DEFAULT_PRICES['claude-3-5-haiku']);
  });

  it('does not price a different model by its prefix', () => {
    expect(findPrice('gpt-4o-mini', DEFAULT_PRICES)).not.toBe(DEFAULT_PRICES['gpt-4o']);
    expect(findPrice('o3-pro', DEFAULT_PRICES)).toBeUndefined();
    expect(findPrice('toString', DEFAULT_PRICES)).toBeUndefined();
  });

  it('lists input and output prices for every model, output not cheaper than input', () => {
    for (const [model, price] of Object.entries(DEFAULT_PRICES)) {
      expect(price.inputPerMTok, model).toBeGreaterThan(0);
      expect(price.outputPerMTok, model).toBeGreaterThanOrEqual(price.inputPerMTok);
    }
  });
});

describe('createCostCalculator', () => {
  it('lets config pricing override and extend the table', () => {
    const warnings: string[] = [];
    const cost = createCostCalculator(
      { 'gpt-4o': { inputPerMTok: 1, outputPerMTok: 2 }, 'my-local': { inputPerMTok: 0, outputPerMTok: 0 } },
      (m) => warnings.push(m),
    );
    expect(cost('gpt-4o', { inputTokens: 1_000_000, outputTokens: 500_000 })).toBeCloseTo(2, 12);
    expect(cost('my-local', { inputTokens: 10, outputTokens: 10 })).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('costs an unknown model 0 and warns once per model name', () => {
    const warnings: string[] = [];
    const cost = createCostCalculator({}, (m) => warnings.push(m));
    const usage = { inputTokens: 5, outputTokens: 5 };
    expect(cost('mystery-model-a', usage)).toBe(0);
    expect(cost('mystery-model-a', usage)).toBe(0);
    expect(cost('mystery-model-b', usage)).toBe(0);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("'mystery-model-a'");
    // once per process: a second calculator does not warn again about the same model
    const again: string[] = [];
    createCostCalculator({}, (m) => again.push(m))('mystery-model-a', usage);
    expect(again).toEqual([]);
  });
});

import type { Price } from '../config/pipeline-config-schema.ts';
import type { TokenUsage } from './model-types.ts';
import { DEFAULT_PRICES } from './price-table.ts';

/** Model names already warned about in this process: one warning per unpriced model, not one per call. */
const warnedUnpriced = new Set<string>();

const SNAPSHOT_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8}|latest)$/;

/** The price of `model`: exact name first, then the name without a date-snapshot or `-latest` suffix. */
export function findPrice(model: string, table: Readonly<Record<string, Price>>): Price | undefined {
  if (Object.hasOwn(table, model)) return table[model];
  const base = model.replace(SNAPSHOT_SUFFIX, '');
  if (base !== model && Object.hasOwn(table, base)) return table[base];
  return undefined;
}

export type CostCalculator = (model: string, usage: TokenUsage) => number;

/**
 * Prices calls from the built-in table merged with `overrides` (config `pricing`, which wins). A model
 * with no known price costs 0 and triggers one warning per model name per process, never an error.
 */
export function createCostCalculator(
  overrides: Readonly<Record<string, Price>> = {},
  onWarning: (message: string) => void = (message) => process.emitWarning(message),
): CostCalculator {
  const table: Record<string, Price> = { ...DEFAULT_PRICES, ...overrides };
  return (model, usage) => {
    const price = findPrice(model, table);
    if (!price) {
      if (!warnedUnpriced.has(model)) {
        warnedUnpriced.add(model);
        onWarning(
          `no price known for model '${model}': its calls count as $0, so a cost budget cannot see them; ` +
            `add it to the config: pricing: { "${model}": { inputPerMTok: ..., outputPerMTok: ... } }`,
        );
      }
      return 0;
    }
    return (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
  };
}

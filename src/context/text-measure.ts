/** The encodings a token budget can be counted in (js-tiktoken ships their ranks inside the package). */
export const TOKENIZERS = ['o200k_base', 'cl100k_base'] as const;
export type TokenizerName = (typeof TOKENIZERS)[number];
export const DEFAULT_TOKENIZER: TokenizerName = 'o200k_base';

/** How much of a budget a text uses: its characters, or its tokens when the budget is in tokens. */
export type TextMeasure = (text: string) => number;

export const measureChars: TextMeasure = (text) => text.length;

const encoders = new Map<TokenizerName, Promise<TextMeasure>>();

/**
 * Count tokens with js-tiktoken (pure JS). Loaded on first use only, so a run with character budgets never
 * imports it (the ranks are a few MB of JavaScript); one encoder per encoding per process.
 */
export function tokenMeasure(name: TokenizerName): Promise<TextMeasure> {
  let measure = encoders.get(name);
  if (!measure) {
    measure = loadTokenMeasure(name);
    encoders.set(name, measure);
  }
  return measure;
}

async function loadTokenMeasure(name: TokenizerName): Promise<TextMeasure> {
  const [{ Tiktoken }, ranks] = await Promise.all([
    import('js-tiktoken/lite'),
    name === 'o200k_base' ? import('js-tiktoken/ranks/o200k_base') : import('js-tiktoken/ranks/cl100k_base'),
  ]);
  const encoder = new Tiktoken(ranks.default);
  // Special-token text in a repository file is ordinary text: count it, never throw on it.
  return (text) => encoder.encode(text, [], []).length;
}

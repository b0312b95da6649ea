/**
 * Terms for lexical retrieval over code and prose: each identifier or word, lowercased, plus the parts of
 * compound identifiers (snake_case, camelCase, dotted), lightly stemmed; stop words and keywords dropped.
 */
const STOP = new Set(
  (
    'a an the and or not no nor but if then else elif when while for in on of to from by with without as at is are ' +
    'was were be been being it its this that these those there here we you he she they them our your their i me my ' +
    'do does did done so such than too very can could should would will shall may might must has have had having ' +
    'into out up down over under again further once only own same other some any all each both few more most ' +
    'also just now new get set use used using via per about after before between because which who whom what why how ' +
    'def class return import self cls none true false null undefined var let const function async await yield ' +
    'pass raise try except finally lambda elif global nonlocal del assert break continue ' +
    'fix fixes fixed bug issue issues closes see'
  ).split(' '),
);

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/** A crude stem: enough to meet "rendering" with "render" and "errors" with "error". */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing') && word.length > 6) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 5) return word.slice(0, -2);
  if (word.endsWith('es') && /(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

function splitIdentifier(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[_\s]+/)
    .filter((p) => p !== '');
}

/** Calls `emit` for each term of the text, in order (a compound identifier gives itself and its parts). */
export function forEachTerm(text: string, emit: (term: string) => void): void {
  for (const match of text.matchAll(IDENTIFIER)) {
    const identifier = match[0];
    if (identifier.length < 2 || identifier.length > 60) continue;
    const lower = identifier.toLowerCase();
    const parts = splitIdentifier(identifier);
    if (parts.length > 1) {
      emit(lower.replace(/^_+|_+$/g, ''));
      for (const part of parts) {
        const p = part.toLowerCase();
        if (p.length >= 2 && !STOP.has(p)) emit(stem(p));
      }
    } else {
      const p = lower.replace(/^_+|_+$/g, '');
      if (p.length >= 2 && !STOP.has(p)) emit(stem(p));
    }
  }
}

/** The text's terms with their counts. */
export function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  forEachTerm(text, (t) => counts.set(t, (counts.get(t) ?? 0) + 1));
  return counts;
}

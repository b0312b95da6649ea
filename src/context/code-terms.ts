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

/** The terms of one identifier, memoised: identifiers repeat, and splitting them is most of the work. */
const termsOfIdentifier = new Map<string, readonly string[]>();

function identifierTerms(identifier: string): readonly string[] {
  let terms = termsOfIdentifier.get(identifier);
  if (terms !== undefined) return terms;
  const out: string[] = [];
  if (identifier.length >= 2 && identifier.length <= 60) {
    const lower = identifier.toLowerCase();
    const parts = splitIdentifier(identifier);
    if (parts.length > 1) {
      out.push(lower.replace(/^_+|_+$/g, ''));
      for (const part of parts) {
        const p = part.toLowerCase();
        if (p.length >= 2 && !STOP.has(p)) out.push(stem(p));
      }
    } else {
      const p = lower.replace(/^_+|_+$/g, '');
      if (p.length >= 2 && !STOP.has(p)) out.push(stem(p));
    }
  }
  terms = out;
  if (termsOfIdentifier.size > 500_000) termsOfIdentifier.clear();
  termsOfIdentifier.set(identifier, terms);
  return terms;
}

/** Calls `emit` for each term of the text, in order (a compound identifier gives itself and its parts). */
export function forEachTerm(text: string, emit: (term: string) => void): void {
  IDENTIFIER.lastIndex = 0;
  for (let match = IDENTIFIER.exec(text); match !== null; match = IDENTIFIER.exec(text)) {
    for (const term of identifierTerms(match[0])) emit(term);
  }
}

/** The text's terms with their counts: identifiers counted first, each distinct one split once. */
export function termCounts(text: string): Map<string, number> {
  const identifiers = new Map<string, number>();
  IDENTIFIER.lastIndex = 0;
  for (let match = IDENTIFIER.exec(text); match !== null; match = IDENTIFIER.exec(text)) {
    const id = match[0];
    identifiers.set(id, (identifiers.get(id) ?? 0) + 1);
  }
  const counts = new Map<string, number>();
  for (const [id, n] of identifiers) {
    for (const term of identifierTerms(id)) counts.set(term, (counts.get(term) ?? 0) + n);
  }
  return counts;
}

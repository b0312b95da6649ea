export type KeyPath = readonly (string | number)[];

const PLAIN_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** `models.default.params.stop[0]`; segments that are not plain identifiers are quoted: `models."gpt-4.1".name`. */
export function formatKeyPath(path: KeyPath): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const text = PLAIN_SEGMENT.test(seg) ? seg : JSON.stringify(seg);
      out += out === '' ? text : `.${text}`;
    }
  }
  return out;
}

/**
 * Parse the key side of `--set a.b.c=value`. Segments are separated by dots; a segment holding dots is written
 * in double quotes (`models."gpt-4.1".name`). Returns an error message instead of a path when malformed.
 */
export function parseDottedPath(text: string): string[] | { error: string } {
  const segments: string[] = [];
  let i = 0;
  while (i <= text.length) {
    let seg: string;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close === -1) return { error: `unclosed quote in key path "${text}"` };
      seg = text.slice(i + 1, close);
      i = close + 1;
      if (i < text.length && text[i] !== '.') return { error: `expected "." after quoted segment in "${text}"` };
    } else {
      const dot = text.indexOf('.', i);
      const end = dot === -1 ? text.length : dot;
      seg = text.slice(i, end).trim();
      i = end;
    }
    if (seg === '') return { error: text === '' ? 'empty key path' : `empty segment in key path "${text}"` };
    segments.push(seg);
    i += 1; // skip the dot (or step past the end)
  }
  return segments;
}

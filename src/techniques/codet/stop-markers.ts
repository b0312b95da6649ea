/**
 * CodeT's stop markers: a newline followed by a top-level keyword. They match only at column 0, so they cut
 * trailing top-level code off a sample while leaving indented bodies alone.
 */
export const STOP_MARKERS: readonly string[] = ['\nclass', '\ndef', '\n#', '\nif', '\nprint'];

/** Keeps the text before the earliest stop marker (the same as cutting at each marker in turn). */
export function cutAtStopMarkers(text: string): string {
  let end = text.length;
  for (const marker of STOP_MARKERS) {
    const at = text.indexOf(marker);
    if (at !== -1 && at < end) end = at;
  }
  return text.slice(0, end);
}

// Python's str.isspace() set for str.strip(): differs from String.prototype.trim() on U+001C..U+001F and U+0085
// (Python strips them, JS does not) and U+FEFF (JS strips it, Python does not). The reference strips with Python.
const PYTHON_WHITESPACE = new Set<string>([
  '\t',
  '\n',
  '\v',
  '\f',
  '\r',
  '\x1c',
  '\x1d',
  '\x1e',
  '\x1f',
  ' ',
  '\x85',
  '\xa0',
  '\u1680',
  '\u2000',
  '\u2001',
  '\u2002',
  '\u2003',
  '\u2004',
  '\u2005',
  '\u2006',
  '\u2007',
  '\u2008',
  '\u2009',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
]);

/** Python's `str.strip()` with no argument. */
export function pythonStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PYTHON_WHITESPACE.has(text[start]!)) start++;
  while (end > start && PYTHON_WHITESPACE.has(text[end - 1]!)) end--;
  return text.slice(start, end);
}

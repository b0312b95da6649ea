import type { PyValue } from './python-value.ts';

export type LiteralResult = { ok: true; value: PyValue } | { ok: false; reason: string };

/**
 * `ast.literal_eval(text)` for the literals model replies hold: strings (prefixes r/b/u, single, double and
 * triple quotes, adjacent ones joined, Python's escapes), ints, floats, complex, True/False/None, lists, tuples,
 * dicts and sets, with Python's rules for lines outside brackets (leading spaces and tabs are stripped; an indented
 * line, even a last line of spaces, is an IndentationError). Anything else is not a literal.
 */
export function parsePythonLiteral(text: string): LiteralResult {
  try {
    const parser = new LiteralParser(text.replace(/^[ \t]+/, ''));
    const value = parser.topLevel();
    return { ok: true, value };
  } catch (error) {
    if (error instanceof LiteralSyntaxError) return { ok: false, reason: error.message };
    throw error;
  }
}

class LiteralSyntaxError extends Error {}

const fail = (message: string): never => {
  throw new LiteralSyntaxError(message);
};

class LiteralParser {
  private pos = 0;
  /** Bracket depth: inside brackets newlines and indentation are free. */
  private depth = 0;

  constructor(private readonly src: string) {}

  topLevel(): PyValue {
    this.skipBlankLines();
    const first = this.expression();
    this.skipSpace();
    if (this.peek() === ',') {
      // A bare tuple: `1, 2`.
      const items = [first];
      while (this.peek() === ',') {
        this.pos++;
        this.skipSpace();
        if (this.atEndOfLogicalLine()) break;
        items.push(this.expression());
        this.skipSpace();
      }
      this.endOfInput();
      return { __tuple__: items };
    }
    this.endOfInput();
    return first;
  }

  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }

  private atEndOfLogicalLine(): boolean {
    const c = this.peek();
    return c === '' || c === '\n' || c === '\r' || c === '#';
  }

  /** Leading blank lines (spaces then a newline or a comment) before the expression. */
  private skipBlankLines(): void {
    for (;;) {
      const start = this.pos;
      while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === '\f') this.pos++;
      if (this.peek() === '#') while (this.peek() !== '' && this.peek() !== '\n') this.pos++;
      if (this.peek() === '\n' || this.peek() === '\r') {
        this.pos += this.src.startsWith('\r\n', this.pos) ? 2 : 1;
        continue;
      }
      if (this.pos > start && this.peek() !== '') fail('unexpected indent');
      if (this.pos > start && this.peek() === '') fail('unexpected indent');
      return;
    }
  }

  /** After the expression: spaces, a comment, blank lines; an indented last line is an error, as in Python. */
  private endOfInput(): void {
    this.skipSpace();
    if (this.peek() === '') return;
    if (this.peek() !== '\n' && this.peek() !== '\r') fail(`unexpected ${JSON.stringify(this.peek())}`);
    this.skipBlankLines();
    if (this.peek() !== '') fail('more than one expression');
  }

  /** Spaces (and inside brackets, newlines and comments). A backslash-newline joins lines. */
  private skipSpace(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\f') this.pos++;
      else if (c === '\\' && (this.peek(1) === '\n' || this.peek(1) === '\r')) this.pos += 2;
      else if (this.depth > 0 && (c === '\n' || c === '\r')) this.pos++;
      else if (this.depth > 0 && c === '#') while (this.peek() !== '' && this.peek() !== '\n') this.pos++;
      else return;
    }
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.peek() !== char) fail(`expected ${char}`);
    this.pos++;
  }

  expression(): PyValue {
    this.skipSpace();
    const value = this.unary();
    this.skipSpace();
    // literal_eval allows `a + bj` / `a - bj` (a complex number written as a sum).
    const op = this.peek();
    if ((op === '+' || op === '-') && isNumber(value) && !isComplex(value)) {
      const save = this.pos;
      this.pos++;
      this.skipSpace();
      const right = this.unary();
      if (!isComplex(right)) {
        this.pos = save;
        fail('operators are not literals');
      }
      const real = numberText(value);
      const imag = (right as { __complex__: string }).__complex__.replace(/j$/, '');
      const sign = op === '-' ? (imag.startsWith('-') ? '+' : '-') : imag.startsWith('-') ? '-' : '+';
      return { __complex__: `${real}${sign}${imag.replace(/^[-+]/, '')}j` };
    }
    return value;
  }

  private unary(): PyValue {
    this.skipSpace();
    const c = this.peek();
    if (c === '-' || c === '+') {
      this.pos++;
      const operand = this.unary();
      if (!isNumber(operand)) fail('unary operator on a non-number');
      return c === '-' ? negate(operand) : operand;
    }
    return this.atom();
  }

  private atom(): PyValue {
    const c = this.peek();
    if (c === '[') return this.list();
    if (c === '(') return this.tuple();
    if (c === '{') return this.dictOrSet();
    if (/[0-9.]/.test(c) && (c !== '.' || /[0-9]/.test(this.peek(1)))) return this.number();
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos))?.[0];
    if (name !== undefined) {
      const quote = this.src[this.pos + name.length];
      if ((quote === "'" || quote === '"') && /^(r|u|b|br|rb)$/i.test(name)) return this.strings();
      this.pos += name.length;
      if (name === 'True') return true;
      if (name === 'False') return false;
      if (name === 'None') return null;
      if (name === 'set') {
        this.expect('(');
        this.expect(')');
        return { __set__: [] };
      }
      return fail(`name ${name} is not a literal`);
    }
    if (c === "'" || c === '"') return this.strings();
    return fail(c === '' ? 'unexpected end of input' : `unexpected ${JSON.stringify(c)}`);
  }

  private items(close: string): PyValue[] {
    this.depth++;
    const items: PyValue[] = [];
    this.skipSpace();
    while (this.peek() !== close) {
      items.push(this.expression());
      this.skipSpace();
      if (this.peek() === ',') {
        this.pos++;
        this.skipSpace();
      } else if (this.peek() !== close) fail(`expected , or ${close}`);
    }
    this.pos++;
    this.depth--;
    return items;
  }

  private list(): PyValue {
    this.pos++;
    return this.items(']');
  }

  private tuple(): PyValue {
    this.pos++;
    this.depth++;
    this.skipSpace();
    if (this.peek() === ')') {
      this.pos++;
      this.depth--;
      return { __tuple__: [] };
    }
    const first = this.expression();
    this.skipSpace();
    if (this.peek() === ')') {
      // (x) is x, not a tuple.
      this.pos++;
      this.depth--;
      return first;
    }
    if (this.peek() !== ',') fail('expected , or )');
    this.pos++;
    this.depth--;
    return { __tuple__: [first, ...this.items(')')] };
  }

  private dictOrSet(): PyValue {
    this.pos++;
    this.depth++;
    this.skipSpace();
    if (this.peek() === '}') {
      this.pos++;
      this.depth--;
      return { __dict__: [] };
    }
    const first = this.expression();
    this.skipSpace();
    if (this.peek() !== ':') {
      this.depth--;
      if (this.peek() === '}') {
        this.pos++;
        return { __set__: [first] };
      }
      if (this.peek() !== ',') fail('expected , or }');
      this.pos++;
      return { __set__: [first, ...this.items('}')] };
    }
    const entries: [PyValue, PyValue][] = [];
    let key = first;
    for (;;) {
      this.expect(':');
      const value = this.expression();
      entries.push([key, value]);
      this.skipSpace();
      if (this.peek() === ',') {
        this.pos++;
        this.skipSpace();
      } else if (this.peek() !== '}') fail('expected , or }');
      if (this.peek() === '}') break;
      key = this.expression();
    }
    this.pos++;
    this.depth--;
    return { __dict__: entries };
  }

  private number(): PyValue {
    const rest = this.src.slice(this.pos);
    const radix = /^0([xX][0-9a-fA-F_]+|[oO][0-7_]+|[bB][01_]+)/.exec(rest);
    if (radix) {
      this.pos += radix[0].length;
      this.noTrailingName();
      return intValue(BigInt(radix[0].replaceAll('_', '')));
    }
    const match = /^(?:\d(?:_?\d)*)?(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][-+]?\d(?:_?\d)*)?[jJ]?/.exec(rest)![0];
    if (match === '' || match === '.') fail('bad number');
    this.pos += match.length;
    this.noTrailingName();
    const clean = match.replaceAll('_', '');
    if (/[jJ]$/.test(clean)) return { __complex__: `${clean.slice(0, -1)}j` };
    if (/[.eE]/.test(clean)) return { __float__: pyFloatRepr(Number(clean)) };
    if (/^0\d/.test(clean) && /[1-9]/.test(clean)) fail('leading zeros in a decimal integer');
    return intValue(BigInt(clean));
  }

  private noTrailingName(): void {
    if (/[A-Za-z_0-9]/.test(this.peek())) fail('invalid number');
  }

  /** One or more adjacent string literals, joined (bytes and str cannot mix). */
  private strings(): PyValue {
    let text = '';
    let bytes: boolean | undefined;
    for (;;) {
      const prefix = /^[A-Za-z]*/.exec(this.src.slice(this.pos))![0];
      const quote = this.src[this.pos + prefix.length];
      if (!(quote === "'" || quote === '"') || !/^(|r|u|b|br|rb)$/i.test(prefix)) break;
      const isBytes = /b/i.test(prefix);
      if (bytes !== undefined && bytes !== isBytes) fail('cannot mix bytes and nonbytes literals');
      bytes = isBytes;
      this.pos += prefix.length;
      text += this.stringBody(/r/i.test(prefix), isBytes);
      this.skipSpace();
    }
    if (bytes) return { __bytes__: [...text].map((ch) => ch.codePointAt(0)!) };
    return text;
  }

  private stringBody(raw: boolean, bytes: boolean): string {
    const quote = this.peek();
    const triple = this.src.startsWith(quote.repeat(3), this.pos);
    const close = triple ? quote.repeat(3) : quote;
    this.pos += close.length;
    let out = '';
    for (;;) {
      if (this.pos >= this.src.length) fail('unterminated string literal');
      if (this.src.startsWith(close, this.pos)) {
        this.pos += close.length;
        return out;
      }
      const c = this.src[this.pos]!;
      if (!triple && (c === '\n' || c === '\r')) fail('unterminated string literal');
      if (c !== '\\') {
        if (bytes && c.codePointAt(0)! > 0x7f) fail('bytes can only contain ASCII literal characters');
        out += c;
        this.pos++;
        continue;
      }
      const next = this.src[this.pos + 1];
      if (next === undefined) fail('unterminated string literal');
      if (raw) {
        // In a raw string a backslash escapes nothing, but still keeps the next character from closing it.
        out += c + next;
        this.pos += 2;
        continue;
      }
      this.pos += 2;
      out += this.escape(next!, bytes);
    }
  }

  private escape(next: string, bytes: boolean): string {
    const simple: Record<string, string> = {
      '\n': '',
      '\\': '\\',
      "'": "'",
      '"': '"',
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
    };
    if (next === '\r') {
      if (this.peek() === '\n') this.pos++;
      return '';
    }
    if (Object.hasOwn(simple, next)) return simple[next]!;
    if (/[0-7]/.test(next)) {
      let digits = next;
      while (digits.length < 3 && /[0-7]/.test(this.peek())) digits += this.src[this.pos++];
      return String.fromCodePoint(Number.parseInt(digits, 8));
    }
    const hexLength = next === 'x' ? 2 : !bytes && next === 'u' ? 4 : !bytes && next === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = this.src.slice(this.pos, this.pos + hexLength);
      if (hex.length < hexLength || !/^[0-9a-fA-F]+$/.test(hex)) fail(`truncated \\${next} escape`);
      this.pos += hexLength;
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff) fail('illegal Unicode character');
      return String.fromCodePoint(code);
    }
    if (next === 'N' && !bytes) fail('\\N{...} escapes are not supported');
    // An unknown escape keeps its backslash (a DeprecationWarning in Python, not an error).
    return `\\${next}`;
  }
}

function intValue(value: bigint): PyValue {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : { __int__: value.toString() };
}

function isNumber(value: PyValue): boolean {
  return (
    typeof value === 'number' ||
    (typeof value === 'object' &&
      value !== null &&
      ('__float__' in value || '__int__' in value || '__complex__' in value))
  );
}

function isComplex(value: PyValue): boolean {
  return typeof value === 'object' && value !== null && '__complex__' in value;
}

function numberText(value: PyValue): string {
  if (typeof value === 'number') return String(value);
  const v = value as Record<string, string>;
  return v.__float__ ?? v.__int__ ?? '0';
}

function negate(value: PyValue): PyValue {
  if (typeof value === 'number') return value === 0 ? 0 : -value;
  const v = value as Record<string, string>;
  const flip = (text: string) => (text.startsWith('-') ? text.slice(1) : `-${text}`);
  if (v.__float__ !== undefined) return { __float__: flip(v.__float__) };
  if (v.__int__ !== undefined) return intValue(-BigInt(v.__int__));
  return { __complex__: flip(v.__complex__!) };
}

/** Python's repr of a float (shortest round-trip digits, like JavaScript, with Python's spelling). */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Object.is(value, -0)) return '-0.0';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    const exp = Number(exponent);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

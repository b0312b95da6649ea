import path from 'node:path';
import type { Document, Node, Pair } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { ConfigIssue } from './config-error.ts';
import type { KeyPath } from './config-key-path.ts';
import { formatKeyPath } from './config-key-path.ts';

export interface SourcePosition {
  line: number;
  column: number;
}

/** Where, inside one parsed YAML file, a key path leads. */
export interface PathLookup {
  /** How many leading segments of the path exist in this file. */
  depth: number;
  /** Position of the deepest key found (its key token); the document start for depth 0. */
  keyPosition: SourcePosition;
  /** Position of the deepest value found. */
  valuePosition: SourcePosition;
}

/** Shown in messages: relative to the working directory when the file is inside it. */
export function displayPath(absolute: string): string {
  const rel = path.relative(process.cwd(), absolute);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absolute;
}

/** One YAML config file: its parsed document plus the means to turn a key path into line:column. */
export class YamlConfigSource {
  readonly absolutePath: string;
  readonly displayName: string;
  readonly text: string;
  private readonly doc: Document.Parsed;
  private readonly lines: LineCounter;

  constructor(absolutePath: string, text: string) {
    this.absolutePath = absolutePath;
    this.displayName = displayPath(absolutePath);
    this.text = text;
    this.lines = new LineCounter();
    // `merge`: YAML 1.1 `<<: *anchor` merge keys, common in configs that share a block between models.
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true, merge: true });
  }

  /** Syntax errors, positioned where the YAML parser put them. */
  syntaxIssues(): ConfigIssue[] {
    return this.doc.errors.map((err) => {
      const pos = this.position(err.pos[0]);
      return {
        file: this.displayName,
        ...pos,
        keyPath: formatKeyPath(this.keyPathAtOffset(err.pos[0])),
        message: `invalid YAML: ${lowerFirst(err.message.split('\n')[0] ?? err.message)}`,
        kind: 'yaml' as const,
      };
    });
  }

  /** The top-level node kind, for "expected a mapping" messages. */
  rootKind(): 'mapping' | 'list' | 'scalar' | 'empty' {
    const root = this.doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) return 'empty';
    if (isMap(root)) return 'mapping';
    if (isSeq(root)) return 'list';
    return 'scalar';
  }

  /** The document as plain data, or an issue when aliases expand beyond a sane size (a "billion laughs" file). */
  toValue(): { value: unknown } | { issue: ConfigIssue } {
    try {
      return { value: this.doc.toJS({ maxAliasCount: 100 }) };
    } catch (error) {
      return {
        issue: {
          file: this.displayName,
          ...this.rootPosition(),
          keyPath: '(root)',
          message: `invalid YAML: ${lowerFirst((error as Error).message)}`,
          kind: 'yaml',
        },
      };
    }
  }

  rootPosition(): SourcePosition {
    const root = this.doc.contents;
    return this.position(root?.range?.[0] ?? 0);
  }

  /** Follow `keyPath` as far as this file defines it. */
  lookup(keyPath: KeyPath): PathLookup {
    const start = this.rootPosition();
    let node: unknown = this.doc.contents;
    let depth = 0;
    let keyPosition = start;
    let valuePosition = start;
    for (const seg of keyPath) {
      node = this.deref(node);
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p) === String(seg));
        if (!pair) break;
        keyPosition = this.nodePosition(pair.key) ?? keyPosition;
        next = pair.value;
        valuePosition = this.nodePosition(this.deref(next)) ?? keyPosition;
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
        if (next === undefined) break;
        keyPosition = this.nodePosition(this.deref(next)) ?? keyPosition;
        valuePosition = keyPosition;
      } else break;
      node = next;
      depth += 1;
    }
    return { depth, keyPosition, valuePosition };
  }

  private keyPathAtOffset(offset: number): (string | number)[] {
    const out: (string | number)[] = [];
    let node: unknown = this.doc.contents;
    for (;;) {
      if (isMap(node)) {
        let chosen: Pair | undefined;
        for (const pair of node.items) {
          const keyStart = (pair.key as Node | null)?.range?.[0];
          if (keyStart !== undefined && keyStart <= offset) chosen = pair;
        }
        if (!chosen) return out;
        out.push(keyText(chosen));
        node = chosen.value;
      } else if (isSeq(node)) {
        let index = -1;
        node.items.forEach((item, i) => {
          if (((item as Node | null)?.range?.[0] ?? Infinity) <= offset) index = i;
        });
        if (index < 0) return out;
        out.push(index);
        node = node.items[index];
      } else return out;
    }
  }

  private deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  private nodePosition(node: unknown): SourcePosition | undefined {
    const start = (node as Node | null | undefined)?.range?.[0];
    return start === undefined ? undefined : this.position(start);
  }

  private position(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}

function keyText(pair: unknown): string {
  if (!isPair(pair)) return '';
  const key = pair.key;
  return isScalar(key) ? String(key.value) : String(key);
}

function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

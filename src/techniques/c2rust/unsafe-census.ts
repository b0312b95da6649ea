import type { Node } from 'web-tree-sitter';

/** RustMap's (Laertes') unsafe categories, counted syntactically (see docs/c2rust.md for the exact definitions). */
export const UNSAFE_CATEGORIES = [
  'RawPtrDeref',
  'MutGlobalAccess',
  'Alloc',
  'ExternCall',
  'UnsafeCast',
  'ReadFromUnion',
] as const;
export type UnsafeCategory = (typeof UNSAFE_CATEGORIES)[number];

export interface UnsafeCensus {
  categories: Record<UnsafeCategory, number>;
  unsafeBlocks: number;
  /** `unsafe fn` items (also in impls and traits). */
  unsafeFns: number;
  /** Non-blank lines inside an `unsafe` block or `unsafe fn`, and all non-blank lines. */
  unsafeLines: number;
  lines: number;
  staticMutItems: number;
  rawPointerTypes: number;
}

const ALLOC_NAMES = new Set(['malloc', 'calloc', 'realloc', 'free', 'alloc', 'alloc_zeroed', 'dealloc']);
const TRANSMUTES = new Set(['transmute', 'transmute_copy']);

export function emptyUnsafeCensus(): UnsafeCensus {
  return {
    categories: Object.fromEntries(UNSAFE_CATEGORIES.map((c) => [c, 0])) as Record<UnsafeCategory, number>,
    unsafeBlocks: 0,
    unsafeFns: 0,
    unsafeLines: 0,
    lines: 0,
    staticMutItems: 0,
    rawPointerTypes: 0,
  };
}

/** Sums censuses (the totals of a bench). */
export function addUnsafeCensus(a: UnsafeCensus, b: UnsafeCensus): UnsafeCensus {
  const out = emptyUnsafeCensus();
  for (const c of UNSAFE_CATEGORIES) out.categories[c] = a.categories[c] + b.categories[c];
  for (const key of ['unsafeBlocks', 'unsafeFns', 'unsafeLines', 'lines', 'staticMutItems', 'rawPointerTypes'] as const)
    out[key] = a[key] + b[key];
  return out;
}

/**
 * Counts unsafe code in one Rust file (the root of a tree-sitter-rust tree). A syntactic counter: it sees names,
 * not types, so each category is defined by syntax (docs/c2rust.md) and will not match a compiler-based count
 * exactly. `source` is the parsed text (for line counts).
 */
export function countUnsafe(root: Node, source: string): UnsafeCensus {
  const census = emptyUnsafeCensus();
  const staticMuts = new Set<string>();
  const externFns = new Set<string>();
  const unionFields = new Set<string>();
  const unsafeRanges: [number, number][] = [];

  // First pass: declarations the uses are checked against.
  walk(root, (node) => {
    if (node.type === 'static_item' && node.namedChildren.some((c) => c?.type === 'mutable_specifier')) {
      census.staticMutItems++;
      const name = node.childForFieldName('name');
      if (name) staticMuts.add(name.text);
    } else if (node.type === 'foreign_mod_item') {
      walk(node, (inner) => {
        if (inner.type === 'function_signature_item') {
          const name = inner.childForFieldName('name');
          if (name) externFns.add(name.text);
        }
      });
    } else if (node.type === 'union_item') {
      walk(node, (inner) => {
        if (inner.type === 'field_declaration') {
          const name = inner.childForFieldName('name');
          if (name) unionFields.add(name.text);
        }
      });
    } else if (node.type === 'pointer_type') census.rawPointerTypes++;
  });

  const visit = (node: Node, inUnsafe: boolean) => {
    let unsafeHere = inUnsafe;
    if (node.type === 'unsafe_block') {
      census.unsafeBlocks++;
      unsafeRanges.push([node.startPosition.row, node.endPosition.row]);
      unsafeHere = true;
    } else if (node.type === 'function_item' || node.type === 'function_signature_item') {
      const modifiers = node.namedChildren.find((c) => c?.type === 'function_modifiers');
      if (modifiers?.text.split(/\s+/).includes('unsafe') && node.parent?.parent?.type !== 'foreign_mod_item') {
        census.unsafeFns++;
        if (node.type === 'function_item') {
          unsafeRanges.push([node.startPosition.row, node.endPosition.row]);
          unsafeHere = true;
        }
      }
    } else if (node.type === 'unary_expression' && node.child(0)?.type === '*' && inUnsafe) {
      census.categories.RawPtrDeref++;
    } else if (node.type === 'identifier' && staticMuts.has(node.text) && isUse(node)) {
      census.categories.MutGlobalAccess++;
    } else if (node.type === 'call_expression') {
      const name = calleeName(node.childForFieldName('function'));
      if (name) {
        const last = name.split('::').at(-1)!;
        if (TRANSMUTES.has(last)) census.categories.UnsafeCast++;
        else if (ALLOC_NAMES.has(last) && (inUnsafe || name.includes('libc::') || name.includes('alloc::')))
          census.categories.Alloc++;
        else if (externFns.has(name) || name.startsWith('libc::')) census.categories.ExternCall++;
      }
    } else if (node.type === 'type_cast_expression') {
      const target = node.childForFieldName('type');
      const value = node.childForFieldName('value');
      if (target?.type === 'pointer_type' && value && value.type !== 'reference_expression')
        census.categories.UnsafeCast++;
    } else if (node.type === 'field_expression' && inUnsafe) {
      const field = node.childForFieldName('field');
      if (field && unionFields.has(field.text) && !isAssignedTo(node)) census.categories.ReadFromUnion++;
    }
    for (const child of node.namedChildren) if (child) visit(child, unsafeHere);
  };
  visit(root, false);

  const lines = source.split('\n');
  const inside = new Set<number>();
  for (const [start, end] of unsafeRanges) for (let row = start; row <= end; row++) inside.add(row);
  lines.forEach((line, row) => {
    if (line.trim() === '') return;
    census.lines++;
    if (inside.has(row)) census.unsafeLines++;
  });
  return census;
}

function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (const child of node.namedChildren) if (child) walk(child, visit);
}

/** An identifier used as a value (not the name in its own declaration, not a path segment or field name). */
function isUse(node: Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'static_item' && parent.childForFieldName('name')?.id === node.id) return false;
  if (parent.type === 'scoped_identifier' && parent.childForFieldName('name')?.id === node.id) return false;
  return true;
}

function isAssignedTo(node: Node): boolean {
  const parent = node.parent;
  return (
    parent !== null &&
    (parent.type === 'assignment_expression' || parent.type === 'compound_assignment_expr') &&
    parent.childForFieldName('left')?.id === node.id
  );
}

/** `f`, `libc::malloc`, `std::mem::transmute` (turbofish dropped); undefined for a method call or a closure. */
function calleeName(node: Node | null): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier' || node.type === 'scoped_identifier') return node.text.replace(/\s+/g, '');
  if (node.type === 'generic_function') return calleeName(node.childForFieldName('function'));
  return undefined;
}

import type { Node } from 'web-tree-sitter';

/** One top-level item of a Rust file. */
export interface RustItem {
  kind: 'fn' | 'struct' | 'enum' | 'union' | 'type' | 'const' | 'static' | 'impl' | 'trait' | 'mod' | 'macro' | 'other';
  /** The item's name; for an impl, `impl <type text>`; '' when it has none. */
  name: string;
  /** The item with its attributes and the comments right above it. */
  text: string;
  /** For a fn: its signature (up to the body); for other items, the whole text. */
  signature: string;
}

/** A Rust file split for assembly: inner attributes (`#![...]`), `use` declarations and items, in order. */
export interface RustFileItems {
  innerAttributes: string[];
  uses: string[];
  items: RustItem[];
}

const KINDS: Record<string, RustItem['kind']> = {
  function_item: 'fn',
  struct_item: 'struct',
  enum_item: 'enum',
  union_item: 'union',
  type_item: 'type',
  const_item: 'const',
  static_item: 'static',
  impl_item: 'impl',
  trait_item: 'trait',
  mod_item: 'mod',
  macro_definition: 'macro',
};

/** Splits a parsed Rust file (root of a tree-sitter-rust tree) into inner attributes, uses and items. */
export function rustFileItems(root: Node): RustFileItems {
  const out: RustFileItems = { innerAttributes: [], uses: [], items: [] };
  let leading: Node[] = [];
  for (const node of root.namedChildren) {
    if (!node) continue;
    if (node.type === 'inner_attribute_item') out.innerAttributes.push(node.text);
    else if (node.type === 'use_declaration' || node.type === 'extern_crate_declaration') out.uses.push(node.text);
    else if (node.type === 'attribute_item' || node.type === 'line_comment' || node.type === 'block_comment') {
      leading.push(node);
      continue;
    } else {
      const kind = KINDS[node.type] ?? 'other';
      const nameNode = node.childForFieldName('name');
      const name = kind === 'impl' ? `impl ${node.childForFieldName('type')?.text ?? ''}` : (nameNode?.text ?? '');
      const body = node.childForFieldName('body');
      // Attributes and doc comments right above the item belong to it (a plain comment before them does not).
      const first = leading.findIndex((l) => l.type === 'attribute_item' || isDocComment(l));
      const start = first >= 0 ? leading[first]! : node;
      const text = root.text.slice(start.startIndex, node.endIndex);
      out.items.push({
        kind,
        name,
        text,
        signature:
          kind === 'fn' && body ? `${node.text.slice(0, body.startIndex - node.startIndex).trim()};` : node.text,
      });
    }
    leading = [];
  }
  return out;
}

function isDocComment(node: Node): boolean {
  return node.type === 'attribute_item' || /^\/\/\/|^\/\*\*/.test(node.text);
}

/** Items share a name only within one namespace: types (struct, enum, union, type, trait) or values (fn, const, static). */
function itemKey(item: RustItem): string | undefined {
  if (!item.name) return undefined;
  if (item.kind === 'impl' || item.kind === 'other' || item.kind === 'macro') return `${item.kind}:${item.name}`;
  const namespace = ['struct', 'enum', 'union', 'type', 'trait', 'mod'].includes(item.kind) ? 'type' : 'value';
  return `${namespace}:${item.name}`;
}

/**
 * One `main.rs` from the translated units, in order: inner attributes first (plus `#![forbid(unsafe_code)]` when
 * unsafe is forbidden), then the `use` declarations (each once), then the items. An item defined again later
 * (a repair that redefines a type, or a unit that repeats one) replaces the earlier definition in place.
 * A single unit is kept verbatim (only the forbid attribute is prepended), so a recorded whole-file
 * translation builds exactly as released.
 */
export function assembleRustSource(
  units: readonly { label: string; file: RustFileItems; text: string }[],
  options: { forbidUnsafe: boolean },
): string {
  const forbid = options.forbidUnsafe ? '#![forbid(unsafe_code)]\n' : '';
  if (units.length === 1) return `${forbid}${units[0]!.text}`;
  const attributes = [...new Set(units.flatMap((u) => u.file.innerAttributes))];
  const uses = [...new Set(units.flatMap((u) => u.file.uses))];
  const slots: { label: string; items: (RustItem | undefined)[] }[] = [];
  const where = new Map<string, { slot: number; at: number }>();
  for (const unit of units) {
    const slot = { label: unit.label, items: [] as (RustItem | undefined)[] };
    slots.push(slot);
    for (const item of unit.file.items) {
      const key = itemKey(item);
      const previous = key ? where.get(key) : undefined;
      if (previous) slots[previous.slot]!.items[previous.at] = undefined;
      if (key) where.set(key, { slot: slots.length - 1, at: slot.items.length });
      slot.items.push(item);
    }
  }
  const parts = [forbid + attributes.map((a) => `${a}\n`).join(''), uses.map((u) => `${u}\n`).join('')];
  for (const slot of slots) {
    const items = slot.items.filter((i): i is RustItem => i !== undefined);
    if (items.length === 0) continue;
    parts.push(`// ${slot.label}\n${items.map((i) => i.text).join('\n\n')}\n`);
  }
  return parts.filter((p) => p !== '').join('\n');
}

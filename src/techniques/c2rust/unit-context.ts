import type { CProgramFacts } from './c-program-facts.ts';
import type { RuleGlobal } from './primitive-globals.ts';
import type { RustItem } from './rust-items.ts';
import type { TranslationUnit } from './translation-units.ts';

/** What the coder is shown for one unit (§4 stage 6). */
export interface UnitContext {
  /** The C code of every function of the unit. */
  cCode: string;
  /** Rust signatures of the callees already translated (or a note when one cannot be found in the crate). */
  calleeSignatures: string[];
  /** Rust definitions of the types and non-rule globals the unit uses that earlier units defined. */
  rustDefinitions: string[];
  /** C definitions the unit must translate itself (types and globals no earlier unit defined), in source order. */
  toDefine: string[];
  /** Accessors of the primitive globals the unit uses (provided by the globals module). */
  globalAccessors: string[];
  /** Names of the C types and globals this unit is responsible for defining. */
  definesTypes: string[];
  definesGlobals: string[];
}

/** Rust's name for a C type: the typedef name as is (first letter upper-cased), `struct foo_bar` → `FooBar`. */
export function rustTypeName(cName: string): string {
  const bare = cName.replace(/^(struct|union|enum)\s+/, '');
  const camel = /^(struct|union|enum)\s/.test(cName)
    ? bare
        .split('_')
        .filter(Boolean)
        .map((p) => p[0]!.toUpperCase() + p.slice(1))
        .join('')
    : bare;
  return camel ? camel[0]!.toUpperCase() + camel.slice(1) : cName;
}

/**
 * The context of one unit: its C code, the Rust signatures of its translated callees (looked up in the crate by
 * the C name, which the coder is told to keep), the Rust definitions of the types and globals it uses that
 * earlier units defined, and the C definitions it must translate itself. `defined` says which C types and
 * globals earlier units took on (the graph adds each unit's `definesTypes`/`definesGlobals` once translated).
 */
export function unitContext(input: {
  unit: TranslationUnit;
  facts: CProgramFacts;
  crate: readonly RustItem[];
  defined: { types: ReadonlySet<string>; globals: ReadonlySet<string> };
  ruleGlobals: readonly RuleGlobal[];
}): UnitContext {
  const { unit, facts, crate, defined } = input;
  const byName = new Map<string, RustItem>();
  for (const item of crate) if (item.name) byName.set(item.name, item);
  const members = new Set(unit.functions);
  const cCode = facts.functions
    .filter((f) => members.has(f.name))
    .map((f) => f.text)
    .join('\n\n');
  const calleeSignatures = unit.callees.map((callee) => {
    const item = byName.get(callee);
    return item?.kind === 'fn'
      ? item.signature
      : `// ${callee}: translated earlier, but no \`fn ${callee}\` is in the crate`;
  });
  const rule = new Map(input.ruleGlobals.map((g) => [g.cName, g]));
  const globalAccessors = unit.globals
    .filter((g) => rule.has(g))
    .map((g) => {
      const r = rule.get(g)!;
      return `C global \`${g}\`: read with \`${r.getter}() -> ${r.rustType}\`, write with \`${r.setter}(value: ${r.rustType})\``;
    });
  const rustDefinitions: string[] = [];
  const toDefine: string[] = [];
  const definesTypes: string[] = [];
  const definesGlobals: string[] = [];
  const typeFacts = facts.types.filter((t) => unit.types.includes(t.name));
  for (const type of typeFacts) {
    if (defined.types.has(type.name)) {
      const item = byName.get(rustTypeName(type.name));
      if (item && !rustDefinitions.includes(item.text)) rustDefinitions.push(item.text);
    } else if (!definesTypes.includes(type.name)) {
      definesTypes.push(type.name);
      if (!toDefine.includes(type.text)) toDefine.push(type.text);
    }
  }
  for (const global of facts.globals.filter((g) => unit.globals.includes(g.name) && !rule.has(g.name))) {
    if (defined.globals.has(global.name)) {
      const item = [...byName.values()].find(
        (i) => (i.kind === 'static' || i.kind === 'const') && i.name.toLowerCase().includes(global.name.toLowerCase()),
      );
      if (item && !rustDefinitions.includes(item.text)) rustDefinitions.push(item.text);
    } else {
      definesGlobals.push(global.name);
      if (!toDefine.includes(global.text)) toDefine.push(global.text);
    }
  }
  return { cCode, calleeSignatures, rustDefinitions, toDefine, globalAccessors, definesTypes, definesGlobals };
}

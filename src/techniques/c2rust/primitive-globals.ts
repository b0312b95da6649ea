import type { CGlobalFact } from './c-program-facts.ts';

/** A primitive file-scope C variable turned into a Mutex-guarded static with a getter and a setter, by rule. */
export interface RuleGlobal {
  cName: string;
  rustType: string;
  getter: string;
  setter: string;
  /** The Rust items (static + accessors) for the globals module. */
  text: string;
}

const C_TO_RUST: [RegExp, string][] = [
  [/^_Bool$|^bool$/, 'bool'],
  [/^(signed )?char$/, 'i8'],
  [/^unsigned char$/, 'u8'],
  [/^(signed )?short( int)?$|^short signed( int)?$/, 'i16'],
  [/^unsigned short( int)?$/, 'u16'],
  [/^(signed )?int$|^signed$|^enum\b/, 'i32'],
  [/^unsigned( int)?$/, 'u32'],
  [/^(signed )?long( int)?$|^(signed )?long long( int)?$/, 'i64'],
  [/^unsigned long( int)?$|^unsigned long long( int)?$/, 'u64'],
  [/^size_t$/, 'usize'],
  [/^float$/, 'f32'],
  [/^(long )?double$/, 'f64'],
];

/** The Rust type of a primitive C type (typedefs resolved by the caller); undefined when not mapped. */
export function rustPrimitiveType(cType: string): string | undefined {
  const type = cType
    .replace(/\b(const|volatile|static|extern|register)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return C_TO_RUST.find(([pattern]) => pattern.test(type))?.[1];
}

/** A C constant initialiser as a Rust literal of `rustType`; undefined when not a plain literal (then not by rule). */
function rustLiteral(initializer: string | null, rustType: string): string | undefined {
  if (initializer === null) return rustType === 'bool' ? 'false' : rustType.startsWith('f') ? '0.0' : '0';
  const text = initializer.trim();
  if (rustType === 'bool') return text === '0' ? 'false' : /^1$|^true$/.test(text) ? 'true' : undefined;
  const int = /^(-?)(0x[0-9a-f]+|\d+)[ul]*$/i.exec(text);
  if (int && !rustType.startsWith('f')) {
    if (int[1] && rustType.startsWith('u')) return undefined;
    return `${int[1]}${int[2]!.toLowerCase().startsWith('0x') ? int[2] : String(Number(int[2]))}`;
  }
  const float = /^-?(\d+\.\d*|\.\d+|\d+)(e[+-]?\d+)?[fl]?$/i.exec(text);
  if (float && rustType.startsWith('f')) {
    const value = text.replace(/[fl]$/i, '');
    return /[.e]/i.test(value) ? value.replace(/^(-?)\./, '$10.') : `${value}.0`;
  }
  const char = /^'(.)'$/.exec(text);
  if (char && (rustType === 'i8' || rustType === 'u8' || rustType === 'i32')) return String(char[1]!.charCodeAt(0));
  return undefined;
}

/**
 * The globals handled by rule (§4 stage 5): primitive, file-scope, with a literal (or no) initialiser. Each becomes
 * `static G_<NAME>: Mutex<T>` (`Mutex::new` is const) with `get_<name>()` and `set_<name>(v)`; the lock is held
 * only for the access. The others go to the coder with the unit that first uses them.
 */
export function primitiveGlobals(globals: readonly CGlobalFact[], typedefs: ReadonlyMap<string, string>): RuleGlobal[] {
  const out: RuleGlobal[] = [];
  for (const global of globals) {
    if (!global.primitive || global.storage === 'extern') continue;
    const resolved = typedefs.get(global.type) ?? global.type;
    const rustType = rustPrimitiveType(resolved);
    if (!rustType) continue;
    const literal = rustLiteral(global.initializer, rustType);
    if (literal === undefined) continue;
    const staticName = `G_${global.name.toUpperCase()}`;
    const getter = `get_${global.name}`;
    const setter = `set_${global.name}`;
    out.push({
      cName: global.name,
      rustType,
      getter,
      setter,
      text: [
        `/// C: \`${global.text.replace(/\s+/g, ' ')}\``,
        `pub static ${staticName}: Mutex<${rustType}> = Mutex::new(${literal});`,
        `pub fn ${getter}() -> ${rustType} {`,
        `    *${staticName}.lock().unwrap_or_else(|e| e.into_inner())`,
        '}',
        `pub fn ${setter}(value: ${rustType}) {`,
        `    *${staticName}.lock().unwrap_or_else(|e| e.into_inner()) = value;`,
        '}',
      ].join('\n'),
    });
  }
  return out;
}

/** The globals module's file (`src/globals.rs`). */
export function globalsModule(globals: readonly RuleGlobal[], constants: readonly string[] = []): string {
  const parts = [
    '//! By rule: the C macro constants as `const` items, and each primitive C global as a Mutex-guarded static\n//! with a getter and a setter.\n#![allow(dead_code, unused_imports)]\nuse std::sync::Mutex;',
    ...(constants.length > 0 ? [constants.join('\n')] : []),
    ...globals.map((g) => g.text),
  ];
  return `${parts.join('\n\n')}\n`;
}

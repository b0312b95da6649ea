import type { Node } from 'web-tree-sitter';

/** A C function definition as the analysis sees it (from a tree-sitter-c parse of the preprocessed file). */
export interface CFunctionFact {
  name: string;
  /** 1-based line in the parsed text. */
  line: number;
  /** The whole definition, as written. */
  text: string;
  /** The definition up to its body: return type, name, parameters. */
  signature: string;
  /** Defined functions or any callee named directly in a call `f(...)`, first occurrence order, unique. */
  calls: string[];
  /** Identifiers used in the body other than as a direct callee (values, `&f`, function pointers), unique. */
  valueRefs: string[];
  /** Type names used in the body or signature: typedef names and `struct|union|enum tag`. */
  typeRefs: string[];
}

export interface CGlobalFact {
  name: string;
  line: number;
  storage: 'static' | 'extern' | null;
  /** The declared type as C text (`int`, `Min *`, `int[100]`). */
  type: string;
  initializer: string | null;
  /** The whole declaration statement (it may declare several names). */
  text: string;
  /** Integer, char, floating, `_Bool` or enum, declared without pointer or array (typedefs resolved). */
  primitive: boolean;
  /** Type names the declaration uses. */
  typeRefs: string[];
}

export interface CTypeFact {
  /** `Min` for a typedef, `struct minimum` for a tag. */
  name: string;
  kind: 'struct' | 'union' | 'enum' | 'typedef';
  line: number;
  text: string;
  /** Other type names its definition uses. */
  typeRefs: string[];
  /** For a typedef: whether it names a primitive type (so a global of it is primitive). */
  primitive: boolean;
}

export interface CProgramFacts {
  functions: CFunctionFact[];
  globals: CGlobalFact[];
  types: CTypeFact[];
}

const PRIMITIVE_TYPES = new Set(['primitive_type', 'sized_type_specifier', 'enum_specifier']);

/** Functions, file-scope variables and type definitions of a translation unit (the root of a tree-sitter-c tree). */
export function extractCProgramFacts(root: Node): CProgramFacts {
  const functions: CFunctionFact[] = [];
  const globals: CGlobalFact[] = [];
  const types: CTypeFact[] = [];
  const primitiveTypedefs = new Set<string>();

  const children = root.namedChildren.filter((n): n is Node => n !== null);
  children.forEach((node, i) => {
    const implicit = implicitIntDefinition(node, children[i + 1]);
    if (implicit) {
      const calls: string[] = [];
      const valueRefs: string[] = [];
      collectUses(implicit.body, calls, valueRefs);
      functions.push({
        name: implicit.name,
        line: node.startPosition.row + 1,
        text: `${node.text.replace(/;?\s*$/, '')} ${implicit.body.text}`,
        signature: `int ${node.text.replace(/;?\s*$/, '')}`,
        calls: unique(calls),
        valueRefs: unique(valueRefs),
        typeRefs: unique([...typeNamesIn(implicit.body)]),
      });
      return;
    }
    if (implicitIntBody(node, children[i - 1])) return;
    switch (node.type) {
      case 'function_definition': {
        const declarator = node.childForFieldName('declarator');
        const name = declarator ? declaredName(declarator) : undefined;
        const body = node.childForFieldName('body');
        if (!name || !body) break;
        const calls: string[] = [];
        const valueRefs: string[] = [];
        collectUses(body, calls, valueRefs);
        const typeRefs = unique([...typeNamesIn(node)]);
        functions.push({
          name,
          line: node.startPosition.row + 1,
          text: node.text,
          signature: node.text.slice(0, body.startIndex - node.startIndex).trim(),
          calls: unique(calls),
          valueRefs: unique(valueRefs),
          typeRefs,
        });
        break;
      }
      case 'type_definition': {
        const type = node.childForFieldName('type');
        if (type) types.push(...tagDefinition(type, node.startPosition.row + 1));
        const primitive = type !== null && isPrimitiveType(type, primitiveTypedefs);
        for (const declarator of node.childrenForFieldName('declarator')) {
          const name = declarator ? declaredName(declarator) : undefined;
          if (!name) continue;
          if (primitive && declarator?.type === 'type_identifier') primitiveTypedefs.add(name);
          types.push({
            name,
            kind: 'typedef',
            line: node.startPosition.row + 1,
            text: node.text,
            typeRefs: unique([...typeNamesIn(node)].filter((t) => t !== name)),
            primitive: primitive && declarator?.type === 'type_identifier',
          });
        }
        break;
      }
      case 'struct_specifier':
      case 'union_specifier':
      case 'enum_specifier':
        types.push(...tagDefinition(node, node.startPosition.row + 1));
        break;
      case 'declaration': {
        const type = node.childForFieldName('type');
        if (type) types.push(...tagDefinition(type, node.startPosition.row + 1));
        const storageNode = node.namedChildren.find((c) => c?.type === 'storage_class_specifier');
        const storageText = storageNode?.text;
        if (storageText === 'typedef') break;
        for (const declarator of node.childrenForFieldName('declarator')) {
          if (!declarator || isFunctionDeclarator(declarator)) continue;
          const name = declaredName(declarator);
          if (!name) continue;
          const inner = declarator.type === 'init_declarator' ? declarator.childForFieldName('declarator') : declarator;
          const value = declarator.type === 'init_declarator' ? declarator.childForFieldName('value') : null;
          const plain = inner?.type === 'identifier';
          globals.push({
            name,
            line: node.startPosition.row + 1,
            storage: storageText === 'static' || storageText === 'extern' ? storageText : null,
            type: type && inner ? declaredType(type.text, inner) : (type?.text ?? 'int'),
            initializer: value?.text ?? null,
            text: node.text,
            primitive: plain && type !== null && isPrimitiveType(type, primitiveTypedefs),
            typeRefs: unique([...typeNamesIn(node)]),
          });
        }
        break;
      }
    }
  });
  return { functions, globals, types };
}

/**
 * A K&R implicit-int definition, `main() { ... }`: tree-sitter-c reads it as a call statement missing its `;`
 * followed by a block. Returns the name and the body when `node` and `next` are such a pair.
 */
function implicitIntDefinition(node: Node, next: Node | undefined): { name: string; body: Node } | undefined {
  if (node.type !== 'expression_statement' || next?.type !== 'compound_statement') return undefined;
  const call = node.namedChildren[0];
  if (call?.type !== 'call_expression' || node.namedChildren.length !== 1) return undefined;
  const callee = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (callee?.type !== 'identifier' || !args?.namedChildren.every((a) => a?.type === 'identifier')) return undefined;
  return { name: callee.text, body: next };
}

function implicitIntBody(node: Node, previous: Node | undefined): boolean {
  return previous !== undefined && implicitIntDefinition(previous, node) !== undefined;
}

/** A `struct|union|enum tag { ... }` with a body, as its own type fact (nested in a typedef or a declaration). */
function tagDefinition(node: Node, line: number): CTypeFact[] {
  if (!['struct_specifier', 'union_specifier', 'enum_specifier'].includes(node.type)) return [];
  const name = node.childForFieldName('name');
  const body = node.childForFieldName('body');
  if (!name || !body) return [];
  const kind = node.type.replace('_specifier', '') as 'struct' | 'union' | 'enum';
  const full = `${kind} ${name.text}`;
  return [
    {
      name: full,
      kind,
      line,
      text: `${node.text};`,
      typeRefs: unique([...typeNamesIn(body)].filter((t) => t !== full)),
      primitive: false,
    },
  ];
}

function isPrimitiveType(type: Node, primitiveTypedefs: ReadonlySet<string>): boolean {
  if (PRIMITIVE_TYPES.has(type.type)) return true;
  return type.type === 'type_identifier' && (primitiveTypedefs.has(type.text) || type.text === '_Bool');
}

function isFunctionDeclarator(declarator: Node): boolean {
  let node: Node | null = declarator;
  while (node) {
    if (node.type === 'function_declarator') return true;
    if (node.type === 'init_declarator') return false;
    if (node.type === 'pointer_declarator' || node.type === 'attributed_declarator')
      node = node.childForFieldName('declarator');
    else return false;
  }
  return false;
}

/** The identifier a declarator declares (through pointers, arrays, parentheses, function declarators). */
export function declaredName(declarator: Node): string | undefined {
  let node: Node | null = declarator;
  while (node) {
    if (node.type === 'identifier' || node.type === 'type_identifier' || node.type === 'field_identifier')
      return node.text;
    const next: Node | null =
      node.childForFieldName('declarator') ?? node.namedChildren.find((c) => c?.type.endsWith('declarator')) ?? null;
    node = next;
  }
  return undefined;
}

/** `int *p[3]` → `int *[3]`: the base type with the declarator's pointer and array parts. */
function declaredType(base: string, declarator: Node): string {
  let pointers = '';
  let arrays = '';
  let node: Node | null = declarator;
  while (node && node.type !== 'identifier') {
    if (node.type === 'pointer_declarator') pointers += '*';
    if (node.type === 'array_declarator') arrays += `[${node.childForFieldName('size')?.text ?? ''}]`;
    node = node.childForFieldName('declarator');
  }
  return `${base}${pointers ? ` ${pointers}` : ''}${arrays}`;
}

function collectUses(node: Node, calls: string[], valueRefs: string[]): void {
  if (node.type === 'call_expression') {
    const callee = node.childForFieldName('function');
    if (callee?.type === 'identifier') calls.push(callee.text);
    else if (callee) collectUses(callee, calls, valueRefs);
    const args = node.childForFieldName('arguments');
    if (args) collectUses(args, calls, valueRefs);
    return;
  }
  if (node.type === 'identifier') {
    valueRefs.push(node.text);
    return;
  }
  // `s.field` / `p->field`: the field name is not a variable.
  for (const child of node.namedChildren)
    if (child && child.type !== 'field_identifier') collectUses(child, calls, valueRefs);
}

function* typeNamesIn(node: Node): Generator<string> {
  if (node.type === 'type_identifier') {
    yield node.text;
    return;
  }
  if (['struct_specifier', 'union_specifier', 'enum_specifier'].includes(node.type)) {
    const name = node.childForFieldName('name');
    if (name) yield `${node.type.replace('_specifier', '')} ${name.text}`;
  }
  for (const child of node.namedChildren) if (child) yield* typeNamesIn(child);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

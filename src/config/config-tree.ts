import type { KeyPath } from './config-key-path.ts';

/** Plain YAML mapping as produced by the parser (not a list, not a class instance such as a marker). */
export function isPlainMapping(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Own-property write that also works for keys such as `__proto__`. */
export function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Layer `over` on `base`: mappings merge key by key, anything else (lists included) replaces. A `null` in
 * `over` for a key that `base` has removes the key, so a config can drop an inherited setting.
 */
export function mergeConfigTrees(base: unknown, over: unknown): unknown {
  if (!isPlainMapping(base) || !isPlainMapping(over)) return over;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) defineKey(out, key, value);
  for (const [key, value] of Object.entries(over)) {
    const inherited = Object.hasOwn(out, key);
    if (value === null && inherited) delete out[key];
    else defineKey(out, key, inherited ? mergeConfigTrees(out[key], value) : value);
  }
  return out;
}

export function valueAtPath(tree: unknown, keyPath: KeyPath): unknown {
  let node = tree;
  for (const seg of keyPath) {
    if (Array.isArray(node) && typeof seg === 'number') node = node[seg];
    else if (isPlainMapping(node) && Object.hasOwn(node, String(seg))) node = node[String(seg)];
    else return undefined;
  }
  return node;
}

export function describeValueType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'mapping';
  return typeof value;
}

/**
 * Write `value` at `keyPath` inside `tree` (a mapping), creating intermediate mappings. `null` removes the key.
 * Returns an error message when the path runs through something that is not a mapping.
 */
export function setAtPath(
  tree: Record<string, unknown>,
  keyPath: readonly string[],
  value: unknown,
): string | undefined {
  let node = tree;
  for (let i = 0; i < keyPath.length - 1; i++) {
    const seg = keyPath[i]!;
    const child = Object.hasOwn(node, seg) ? node[seg] : undefined;
    if (child === undefined || child === null) {
      const fresh: Record<string, unknown> = {};
      defineKey(node, seg, fresh);
      node = fresh;
    } else if (isPlainMapping(child)) {
      const copy: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(child)) defineKey(copy, k, v);
      defineKey(node, seg, copy);
      node = copy;
    } else {
      const where = keyPath.slice(0, i + 1).join('.');
      return `cannot set a key inside ${where}: it is a ${describeValueType(child)}, not a mapping`;
    }
  }
  const last = keyPath[keyPath.length - 1]!;
  if (value === null) delete node[last];
  else defineKey(node, last, value);
  return undefined;
}

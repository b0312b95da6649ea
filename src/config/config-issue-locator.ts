import type { KeyPath } from './config-key-path.ts';
import type { ConfigLayer, IssueLocation } from './config-layers.ts';
import { isPlainMapping } from './config-tree.ts';

/**
 * `key`: the offending key itself (unknown keys); `value`: its value (wrong type or value);
 * `enclosing`: the mapping that should hold it (missing keys).
 */
export type LocateMode = 'key' | 'value' | 'enclosing';

/**
 * Find which layer a merged-config key path came from and where it is written there. The layer that defines
 * the longest prefix of the path wins; among equals the later (higher-priority) layer wins, which is the one
 * whose value survived merging.
 */
export function locateKeyPath(layers: readonly ConfigLayer[], keyPath: KeyPath, mode: LocateMode): IssueLocation {
  let best: { layer: ConfigLayer; depth: number } | undefined;
  for (const layer of layers) {
    const depth = definedDepth(layer, keyPath);
    if (depth >= 0 && (!best || depth >= best.depth)) best = { layer, depth };
  }
  if (!best) {
    const first = layers.find((l) => l.kind === 'file');
    return first?.kind === 'file'
      ? { file: first.source.displayName, ...first.source.rootPosition() }
      : { file: '(config)' };
  }
  if (best.layer.kind === 'set') return { file: best.layer.flag };
  const found = best.layer.source.lookup(keyPath);
  const complete = found.depth === keyPath.length;
  const position = complete && mode === 'value' ? found.valuePosition : found.keyPosition;
  return { file: best.layer.source.displayName, ...position };
}

/** Number of leading path segments the layer defines; -1 when it says nothing about this path. */
function definedDepth(layer: ConfigLayer, keyPath: KeyPath): number {
  if (layer.kind === 'file') return layer.source.lookup(keyPath).depth;
  const own = layer.path;
  if (keyPath.length < own.length || own.some((seg, i) => String(keyPath[i]) !== seg)) return -1;
  let node = layer.value;
  let depth = own.length;
  for (const seg of keyPath.slice(own.length)) {
    if (Array.isArray(node) && typeof seg === 'number' && seg < node.length) node = node[seg];
    else if (isPlainMapping(node) && Object.hasOwn(node, String(seg))) node = node[String(seg)];
    else break;
    depth += 1;
  }
  return depth;
}

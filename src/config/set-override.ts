import { parseDocument } from 'yaml';
import { parseDottedPath } from './config-key-path.ts';
import type { LayerContext, SetLayer } from './config-layers.ts';
import { interpolateTree } from './config-layers.ts';

/**
 * Parse one `--set a.b.c=value` argument (the part after `--set`). The value is read as YAML, so `3` is a
 * number, `true` a boolean, `["x"]` a list, `{a: 1}` a mapping, and `'3'` the string "3"; `null` removes the key.
 * Returns the layer, or pushes an issue naming the flag and returns undefined.
 */
export function parseSetOverride(argument: string, ctx: LayerContext): SetLayer | undefined {
  const flag = `--set ${argument}`;
  const fail = (keyPath: string, message: string): undefined => {
    ctx.issues.push({ file: flag, keyPath, message, kind: 'set' });
    return undefined;
  };
  const eq = argument.indexOf('=');
  if (eq === -1) return fail('(none)', 'expected KEY.PATH=VALUE, found no "="');
  const keyText = argument.slice(0, eq).trim();
  const parsedPath = parseDottedPath(keyText);
  if (!Array.isArray(parsedPath)) return fail(keyText === '' ? '(none)' : keyText, parsedPath.error);
  const keyPath = parsedPath.join('.');
  if (parsedPath[0] === 'extends') {
    return fail(keyPath, '"extends" cannot be set from the command line (overrides apply after extends is resolved)');
  }

  const valueText = argument.slice(eq + 1);
  const doc = parseDocument(valueText, { prettyErrors: false, uniqueKeys: true });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    return fail(
      keyPath,
      `value is not valid YAML: ${syntaxError.message.split('\n')[0]} (quote it for a plain string)`,
    );
  }
  const written: unknown = doc.toJS({ maxAliasCount: 100 });
  const value = interpolateTree(written, parsedPath, { file: flag }, ctx);
  return { kind: 'set', flag, path: parsedPath, value, written };
}

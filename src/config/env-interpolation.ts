/** Result of expanding `${VAR}` / `${VAR:-default}` in one string. */
export interface Interpolation {
  value: string;
  /** Values that came from the environment (not from defaults): secrets to redact. */
  secrets: string[];
  /** Referenced variables that are unset and have no default. */
  missing: string[];
  /** Set when the string holds a malformed `${...}` reference. */
  error?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Shell-like expansion: `${NAME}` is the variable, `${NAME:-fallback}` uses `fallback` when NAME is unset or
 * empty, `$${` is a literal `${`. A `$` not followed by `{` is left alone.
 */
export function interpolateEnv(text: string, env: NodeJS.ProcessEnv): Interpolation {
  let value = '';
  const secrets: string[] = [];
  const missing: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      value += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      value += text[i];
      i += 1;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close === -1) return { value, secrets, missing, error: `unclosed "\${" in "${text}"` };
    const reference = text.slice(i, close + 1);
    const body = text.slice(i + 2, close);
    const sep = body.indexOf(':-');
    const name = sep === -1 ? body : body.slice(0, sep);
    const fallback = sep === -1 ? undefined : body.slice(sep + 2);
    if (!NAME.test(name)) {
      return {
        value,
        secrets,
        missing,
        error: `malformed variable reference "${reference}" (expected \${NAME} or \${NAME:-default})`,
      };
    }
    const fromEnv = env[name];
    if (fromEnv !== undefined && (fromEnv !== '' || fallback === undefined)) {
      value += fromEnv;
      if (fromEnv !== '') secrets.push(fromEnv);
    } else if (fallback !== undefined) {
      value += fallback;
    } else {
      missing.push(name);
    }
    i = close + 1;
  }
  return { value, secrets, missing };
}

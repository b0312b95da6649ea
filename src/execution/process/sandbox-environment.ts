const SECRET_NAME = /KEY|TOKEN|SECRET|PASSW|CREDENTIAL|COOKIE|SESSION|AUTH/i;
const SYSTEM_PATH = ['/usr/local/bin', '/usr/bin', '/bin'];

/** True for variable names that must never reach executed code, even when a caller asks to pass them. */
export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The complete environment of an executed program: nothing is inherited except LANG/LC_ALL. HOME and TMPDIR
 * point at the working directory. `extra` (e.g. CARGO_HOME, RUSTC) is added unless its name looks secret.
 */
export function sandboxEnvironment(
  workdir: string,
  options: { pathPrefix?: string[]; extra?: Record<string, string> } = {},
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: [...(options.pathPrefix ?? []), ...SYSTEM_PATH].join(':'),
    LANG: process.env.LANG ?? 'C.UTF-8',
    HOME: workdir,
    TMPDIR: workdir,
  };
  if (process.env.LC_ALL) env.LC_ALL = process.env.LC_ALL;
  for (const [name, value] of Object.entries(options.extra ?? {})) {
    if (!looksSecret(name)) env[name] = value;
  }
  return env;
}

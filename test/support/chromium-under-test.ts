import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The Chromium the browser tests drive through playwright-core: `REFINERY_CHROMIUM` if set, else Debian's
 * `chromium` (what .ci/run installs) or another Chromium build on the PATH. null when there is none.
 */
export const chromiumPath: string | null = findChromium();

/** On CI a missing Chromium fails the browser tests; elsewhere they are skipped with this reason printed. */
export const chromiumRequired = Boolean(process.env.CI);

export const chromiumMissingReason =
  'refinery tests: no Chromium here (looked for $REFINERY_CHROMIUM, chromium, chromium-browser, google-chrome on the PATH); ' +
  "the viewer's browser tests (test/view/view-in-browser.test.ts) cannot run. Install it with `apt-get install -y chromium` " +
  '(.ci/run does); on CI they fail without it, elsewhere they are skipped.';

function findChromium(): string | null {
  const given = process.env.REFINERY_CHROMIUM;
  if (given) return executable(given) ? given : null;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'])
    for (const dir of dirs) if (executable(join(dir, name))) return join(dir, name);
  return null;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

#!/usr/bin/env node
// `refinery`, the package's bin. Installed from the package, it runs the bundled build, dist/cli/refinery.js. In a
// checkout, where bin/refinery.ts is present, it runs the TypeScript sources through tsx (a devDependency): the
// README's `npx refinery ...` and the tests need no build, and never run a stale dist/.
import { existsSync } from 'node:fs';

const source = new URL('./refinery.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/cli/refinery.js');
}

#!/usr/bin/env node
// `refinery`, the composition root: the CLI over the pipelines Refinery ships. The build compiles it to
// dist/bin/refinery.js and bundles that into dist/cli/refinery.js, what the installed bin runs; in a development
// checkout bin/refinery.mjs runs it from source.

import { runLightCommand } from '../src/cli/light-commands.ts';
import type { Refinery } from '../src/runtime/create-refinery.ts';

// A reader that stops early (`refinery --help | head`) closes the pipe: end quietly, as other CLIs do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
// The pipelines (their schemas, LangGraph) and the full command table load on demand: a light command such as
// `refinery context` starts without them (src/cli/light-commands.ts).
const refinery = async (): Promise<Refinery> => {
  const [{ shippedPipelines }, { createRefinery }] = await Promise.all([
    import('../graphs/index.ts'),
    import('../src/runtime/create-refinery.ts'),
  ]);
  return createRefinery({ pipelines: shippedPipelines });
};
const argv = process.argv.slice(2);
process.exitCode =
  (await runLightCommand(argv, refinery)) ?? (await (await import('../src/cli/main.ts')).main(argv, await refinery()));

#!/usr/bin/env node
// `refinery`, the composition root: the CLI over the pipelines Refinery ships. The build compiles it to
// dist/bin/refinery.js and bundles that into dist/cli/refinery.js, what the installed bin runs; in a development
// checkout bin/refinery.mjs runs it from source.

import { shippedPipelines } from '../graphs/index.ts';
import { main } from '../src/cli/main.ts';
import { createRefinery } from '../src/runtime/create-refinery.ts';

// A reader that stops early (`refinery --help | head`) closes the pipe: end quietly, as other CLIs do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2), createRefinery({ pipelines: shippedPipelines }));

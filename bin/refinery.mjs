#!/usr/bin/env node
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const { createRefinery } = await import('../src/runtime/create-refinery.ts');
const { shippedPipelines } = await import('../graphs/index.ts');
process.exitCode = await main(process.argv.slice(2), createRefinery({ pipelines: shippedPipelines }));

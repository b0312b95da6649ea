import { shippedPipelines } from '../../graphs/index.ts';
import { createRefinery } from '../../src/runtime/create-refinery.ts';
import { pipelineChecks } from '../../src/runtime/pipeline-checks.ts';

/** A Refinery with the shipped pipelines, as the `refinery` command builds it. */
export const shippedRefinery = createRefinery({ pipelines: shippedPipelines });

/** What the config loader checks a config against for the shipped pipelines. */
export const shippedPipelineChecks = pipelineChecks(shippedRefinery.pipelines);

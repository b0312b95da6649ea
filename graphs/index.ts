// The pipelines Refinery ships, in one list: `refinery` (bin/refinery.ts) builds its registry from it.
// A new pipeline is its own folder under graphs/ plus one line here (docs/adding-a-pipeline.md).
import type { AnyPipelineDefinition } from '../src/runtime/pipeline-definition.ts';
import { bestOfNPipeline } from './best-of-n/index.ts';
import { c2rustPipeline } from './c2rust/index.ts';
import { codetPipeline } from './codet/index.ts';
import { mokavPipeline } from './mokav/index.ts';
import { mutapPipeline } from './mutap/index.ts';
import { refinePipeline } from './refine/index.ts';
import { repoPipeline } from './repo/index.ts';

export const shippedPipelines: readonly AnyPipelineDefinition[] = [
  refinePipeline,
  codetPipeline,
  repoPipeline,
  bestOfNPipeline,
  mokavPipeline,
  c2rustPipeline,
  mutapPipeline,
];

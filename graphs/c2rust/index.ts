export { c2rustPipeline } from './c2rust-pipeline.ts';

import type { PipelineDefinition } from './pipeline-definition.ts';

const pipelines = new Map<string, PipelineDefinition<any, any>>();

export function registerPipeline(definition: PipelineDefinition<any, any>): void {
  pipelines.set(definition.name, definition);
}

export function getPipeline(name: string): PipelineDefinition<any, any> | undefined {
  return pipelines.get(name);
}

export function listPipelines(): string[] {
  return [...pipelines.keys()].sort();
}

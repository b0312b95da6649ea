import type { AnyPipelineDefinition, PipelineSet } from './pipeline-definition.ts';

/**
 * The pipelines one Refinery instance knows, by graph name. Explicit, not global: the CLI builds one from the
 * shipped list (`graphs/index.ts`), a test or a library user builds one from exactly the pipelines they want.
 */
export class PipelineRegistry implements PipelineSet {
  private readonly byName = new Map<string, AnyPipelineDefinition>();

  constructor(pipelines: Iterable<AnyPipelineDefinition> = []) {
    for (const definition of pipelines) {
      if (this.byName.has(definition.name)) throw new TypeError(`two pipelines are named '${definition.name}'`);
      this.byName.set(definition.name, definition);
    }
  }

  get(name: string): AnyPipelineDefinition | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  all(): AnyPipelineDefinition[] {
    return this.names().map((name) => this.byName.get(name)!);
  }

  /** A copy where these definitions replace (or join) the ones of the same name. */
  with(...definitions: AnyPipelineDefinition[]): PipelineRegistry {
    const replaced = new Set(definitions.map((d) => d.name));
    return new PipelineRegistry([...this.all().filter((d) => !replaced.has(d.name)), ...definitions]);
  }
}

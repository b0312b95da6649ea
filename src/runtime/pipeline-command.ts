import type { PipelineRegistry } from './pipeline-registry.ts';

/**
 * A command a pipeline brings to the CLI. `refinery <verb> <pipeline> [args]` finds it through the registry
 * (today the verb is `bench`: `refinery bench codet`); the spine's CLI never names a pipeline.
 */
export interface PipelineCommand {
  verb: 'bench';
  /** One line for `refinery --help`. */
  summary: string;
  /** Usage text printed by `--help` and after a bad flag. */
  usage: string;
  /** Runs the command with the arguments after `<verb> <pipeline>`; returns the process exit code. */
  run(argv: string[], services: PipelineCommandServices): Promise<number>;
}

export interface PipelineCommandServices {
  /** The registry the CLI was started with (a bench may bind its own definition over it). */
  pipelines: PipelineRegistry;
  cwd: string;
}

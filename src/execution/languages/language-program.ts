import type { CompileDiagnostic, ExecutionRequest } from '../execution-types.ts';
import type { ProcessOutcome } from '../process/run-process.ts';
import type { Toolchain } from '../toolchain.ts';
import type { RuntimeFinding } from '../verdict/runtime-finding.ts';

export interface BuildContext {
  request: ExecutionRequest;
  workdir: string;
  toolchain: Toolchain;
  /** Runs a compiler in the same sandbox as the program, under the compile limits. */
  compile(argv: string[], env?: Record<string, string>): Promise<ProcessOutcome>;
}

export type Build =
  | { kind: 'ready'; argv: string[]; env?: Record<string, string> }
  | { kind: 'compile_error'; diagnostics: CompileDiagnostic[]; outcome?: ProcessOutcome };

/** How one language is written to disk, built and run, and how its failures read. */
export interface LanguageProgram {
  /** File name (relative to the working directory) that receives `request.source`; undefined for cargo crates. */
  sourceFile(request: ExecutionRequest): string | undefined;
  build(ctx: BuildContext): Promise<Build>;
  /** Reads stderr of a run that exited non-zero or died of a signal. */
  explainFailure(stderr: string): RuntimeFinding | undefined;
}

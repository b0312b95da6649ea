import type { Command } from 'commander';

export interface OutputStream {
  write(text: string): unknown;
}

/** Where one command line writes, and the exit code its action returned. */
export interface CliContext {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Set by the action that ran. */
  exitCode: number;
  /** The command whose action is running (for the usage line after a usage error). */
  active?: Command;
}

/** A context on the given streams; by default the process's, looked up at each write (tests spy on them). */
export function createCliContext(io: { stdout?: OutputStream; stderr?: OutputStream } = {}): CliContext {
  return {
    stdout: io.stdout ?? { write: (text: string) => process.stdout.write(text) },
    stderr: io.stderr ?? { write: (text: string) => process.stderr.write(text) },
    exitCode: 0,
  };
}

/** Sets the command's action: `run` gets commander's arguments and returns the exit code. */
export function setAction<A extends unknown[]>(
  command: Command,
  ctx: CliContext,
  run: (...args: A) => Promise<number> | number,
): Command {
  return command.action(async (...args: unknown[]) => {
    ctx.active = command;
    ctx.exitCode = await run(...(args as A));
  });
}

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { killProcessGroup } from './kill-run-processes.ts';

export interface StartedProcess {
  child: ChildProcessWithoutNullStreams;
  /** SIGKILLs the process's group: the program and everything it started that stayed in the group. */
  kill(): void;
}

/**
 * The one place the execution layer spawns a program: piped stdio, its own process group (so `kill` reaches
 * its children too) and exactly the environment given, nothing inherited (build it with sandboxEnvironment).
 * One-shot runs go through runProcess; long-lived helpers (the warm compile checker) use this directly.
 */
export function startProcess(
  argv: readonly string[],
  options: { cwd: string; env: Record<string, string> },
): StartedProcess {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('startProcess: empty argv');
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return { child, kill: () => killProcessGroup(child.pid) };
}

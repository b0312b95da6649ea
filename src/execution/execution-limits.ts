import type { ExecutionConfig } from '../config/pipeline-config-schema.ts';
import type { ExecutionLimits } from './execution-types.ts';

/** Defaults match the pipeline config schema's defaults (10 s, 4 GiB, 256 processes, 16 MiB files, 1 MiB output). */
export const defaultLimits: ExecutionLimits = Object.freeze({
  wallMs: 10_000,
  cpuMs: 10_000,
  memoryMb: 4096,
  processes: 256,
  fileSizeMb: 16,
  outputBytes: 1_048_576,
});

/** Limits for compile steps (gcc, rustc, cargo): generous, independent of the program's own limits. */
export const compileLimits: ExecutionLimits = Object.freeze({
  wallMs: 120_000,
  cpuMs: 120_000,
  memoryMb: 4096,
  processes: 512,
  fileSizeMb: 256,
  outputBytes: 4 * 1_048_576,
});

export function limitsFromConfig(exec: ExecutionConfig): ExecutionLimits {
  return {
    wallMs: Math.round(exec.timeoutSec * 1000),
    cpuMs: Math.round((exec.cpuSec ?? exec.timeoutSec) * 1000),
    memoryMb: exec.memoryMb,
    processes: exec.processes,
    fileSizeMb: exec.fileSizeMb,
    outputBytes: exec.outputBytes,
  };
}

/**
 * Later layers win. When a layer sets `wallMs` but not `cpuMs`, the CPU limit follows the wall limit, so
 * `{ wallMs: 1000 }` never leaves a 10 s CPU allowance behind it.
 */
export function mergeLimits(
  base: ExecutionLimits,
  ...layers: (Partial<ExecutionLimits> | undefined)[]
): ExecutionLimits {
  let out = { ...base };
  for (const layer of layers) {
    if (!layer) continue;
    const defined = Object.fromEntries(
      Object.entries(layer).filter(([, v]) => v !== undefined),
    ) as Partial<ExecutionLimits>;
    out = { ...out, ...defined };
    if (defined.wallMs !== undefined && defined.cpuMs === undefined) out.cpuMs = defined.wallMs;
  }
  return out;
}

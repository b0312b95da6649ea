export const LANGUAGES = ['python', 'javascript', 'c', 'rust'] as const;
export type Language = (typeof LANGUAGES)[number];

export const VERDICTS = ['passed', 'failed', 'error', 'timeout', 'memory', 'crashed', 'compile_error'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface ExecutionLimits {
  /** Wall-clock limit; on expiry the whole process group is killed. */
  wallMs: number;
  cpuMs: number;
  memoryMb: number;
  processes: number;
  fileSizeMb: number;
  /** Cap on captured stdout and on captured stderr, each. */
  outputBytes: number;
}

export interface CompileDiagnostic {
  level: 'error' | 'warning' | 'note' | 'help';
  code?: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  snippet?: string;
}

export interface ExecutionRequest {
  language: Language;
  /** Main source file contents. */
  source: string;
  /** Extra files written into the working directory (relative path -> contents). */
  files?: Record<string, string>;
  stdin?: string;
  args?: string[];
  limits?: Partial<ExecutionLimits>;
  /** When given, stdout is compared (each line stripped) and a mismatch is `failed`. */
  expectedStdout?: string;
  /** Rust only: build as a cargo crate (`files` holds Cargo.toml and src/). */
  cargo?: boolean;
}

export interface ExecutionError {
  type: string;
  message: string;
  traceback?: string;
}

export interface ExecutionResult {
  verdict: Verdict;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
  error?: ExecutionError;
  expected?: string;
  actual?: string;
  diagnostics?: CompileDiagnostic[];
  sandbox: SandboxMode;
}

/** What a config or caller asks for: `auto` uses bubblewrap when it works here, else rlimits only. */
export const SANDBOX_SETTINGS = ['auto', 'bwrap', 'none'] as const;
export type SandboxSetting = (typeof SANDBOX_SETTINGS)[number];

/** What a run actually got once `auto` is resolved. */
export const SANDBOX_MODES = ['bwrap', 'rlimit-only'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

/** Anything that runs one program: the real engine, a recorder, a replayer. */
export interface Executor {
  run(request: ExecutionRequest, options?: { signal?: AbortSignal }): Promise<ExecutionResult>;
}

import { RefineryError } from '../errors/refinery-error.ts';

export type ConfigIssueKind =
  /** The file could not be read. */
  | 'io'
  /** The YAML itself does not parse (the parser's own position). */
  | 'yaml'
  | 'unknown-key'
  /** A value of the wrong type. */
  | 'type'
  /** A required key is absent; the position is the enclosing mapping. */
  | 'missing'
  /** Right type, wrong value: enum, range, format. */
  | 'value'
  | 'extends'
  /** A malformed `--set` flag; `file` is the flag itself. */
  | 'set'
  /** `${VAR}` interpolation: an unset variable or a malformed reference. */
  | 'env'
  /** A value that names something that does not exist: graph, model, prompt file. */
  | 'reference';

export interface ConfigIssue {
  /** The file to fix, relative to the working directory when inside it; or `--set a.b=c` for a flag. */
  file: string;
  /** 1-based; absent when the issue has no position in a file (a `--set` flag, an unreadable file). */
  line?: number;
  column?: number;
  /** Dotted path of the offending key, `(root)` for the document itself. */
  keyPath: string;
  message: string;
  kind: ConfigIssueKind;
}

export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  return `${where}: ${issue.keyPath}: ${issue.message}`;
}

/** Every problem found in a config, one per line in `message`; the first one's fields are mirrored on the error. */
export class ConfigError extends RefineryError {
  readonly code = 'CONFIG_INVALID';
  readonly exitStatus = 'invalid-input';
  readonly issues: readonly ConfigIssue[];
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly keyPath: string;
  readonly kind: ConfigIssueKind;

  constructor(issues: readonly ConfigIssue[]) {
    if (issues.length === 0) throw new TypeError('ConfigError needs at least one issue');
    super(issues.map(formatConfigIssue).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
    const first = issues[0]!;
    this.file = first.file;
    this.line = first.line;
    this.column = first.column;
    this.keyPath = first.keyPath;
    this.kind = first.kind;
  }
}

import type { ProgressReporter, ProgressState } from '../../runtime/progress-reporter.ts';

/** One updating status line on a TTY; one line per node change otherwise. */
export class TerminalProgress implements ProgressReporter {
  private state: ProgressState = {};
  private lastNode: string | undefined;
  private readonly started = Date.now();

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly label = 'refinery',
  ) {}

  update(patch: ProgressState): void {
    this.state = { ...this.state, ...patch };
    const line = this.render();
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${line}`);
    else if (patch.node && patch.node !== this.lastNode) this.stream.write(`${line}\n`);
    if (patch.node) this.lastNode = patch.node;
  }

  finish(line: string): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[2K');
    this.stream.write(`${line}\n`);
  }

  private render(): string {
    const t = this.state.totals;
    const parts = [`[${this.label}]`, `node=${this.state.node ?? '-'}`];
    if (t) {
      parts.push(
        `iter=${t.iterations}`,
        `calls=${t.modelCalls}`,
        `tokens=${t.inputTokens + t.outputTokens}`,
        `cost=$${t.costUsd.toFixed(4)}`,
      );
    }
    parts.push(`time=${((Date.now() - this.started) / 1000).toFixed(1)}s`);
    if (this.state.lastVerdict) parts.push(`last=${this.state.lastVerdict}`);
    if (this.state.message) parts.push(this.state.message);
    return parts.join(' ');
  }
}

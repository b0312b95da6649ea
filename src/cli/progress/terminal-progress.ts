import type { ProgressReporter, ProgressState } from '../../runtime/progress-reporter.ts';

/**
 * The least time between two redraws of the status line on a TTY. A replay with recorded executions steps through
 * thousands of nodes a second (two updates each): drawn at every update, a 10,000-event replay wrote some 7,000
 * lines to the terminal, which nobody can read, and a terminal behind a slow link makes the run wait for it.
 */
export const TTY_REDRAW_MS = 100;

/**
 * One updating status line on a TTY, redrawn at most every {@link TTY_REDRAW_MS} (an update in between is drawn
 * when that time is up, so the line never stays behind); one line per node change otherwise.
 */
export class TerminalProgress implements ProgressReporter {
  private state: ProgressState = {};
  private lastNode: string | undefined;
  private readonly started = Date.now();
  private drawnAt = Number.NEGATIVE_INFINITY;
  private pendingDraw: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> = process.stderr,
    private readonly label = 'refinery',
  ) {}

  update(patch: ProgressState): void {
    this.state = { ...this.state, ...patch };
    if (this.stream.isTTY) this.drawSoon();
    else if (patch.node && patch.node !== this.lastNode) this.stream.write(`${this.render()}\n`);
    if (patch.node) this.lastNode = patch.node;
  }

  finish(line: string): void {
    clearTimeout(this.pendingDraw);
    this.pendingDraw = undefined;
    if (this.stream.isTTY) this.stream.write('\r\x1b[2K');
    this.stream.write(`${line}\n`);
  }

  private drawSoon(): void {
    const wait = this.drawnAt + TTY_REDRAW_MS - Date.now();
    if (wait <= 0) this.draw();
    else
      this.pendingDraw ??= setTimeout(() => {
        this.pendingDraw = undefined;
        this.draw();
      }, wait).unref();
  }

  private draw(): void {
    clearTimeout(this.pendingDraw);
    this.pendingDraw = undefined;
    this.drawnAt = Date.now();
    this.stream.write(`\r\x1b[2K${this.render()}`);
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

import type { BatchProgressState } from '../../batch/run-batch.ts';

/**
 * The batch's progress: on a TTY one bar that redraws (done, failed, running, cost so far, ETA); otherwise one
 * line per task as it ends.
 */
export class BatchProgressLine {
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(state: BatchProgressState): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${renderBar(state, this.stream.columns || 80)}`);
      this.drawn = true;
    } else if (state.row) {
      this.stream.write(
        `[batch] ${state.done}/${state.total} ${state.row.id}: ${state.row.status} (${state.row.summary})\n`,
      );
    }
  }

  /** Clears the bar before the summary is printed. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}

export function renderBar(state: BatchProgressState, columns: number): string {
  const text = [
    `${state.done}/${state.total} done`,
    `${state.failed} failed`,
    `${state.running} running`,
    `$${state.costUsd.toFixed(4)}`,
    `${duration(state.elapsedMs)} elapsed`,
    `ETA ${state.etaMs === undefined ? '?' : duration(state.etaMs)}`,
  ].join(' · ');
  const width = Math.max(10, Math.min(30, columns - text.length - 12));
  const filled = state.total === 0 ? width : Math.round((state.done / state.total) * width);
  return `[batch] [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}`;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

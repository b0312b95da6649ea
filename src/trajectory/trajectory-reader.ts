import { readFileSync } from 'node:fs';
import { type HeaderEvent, type TrajectoryEvent, trajectoryEvent } from './trajectory-events.ts';
import { TrajectoryFormatError } from './trajectory-format-error.ts';

export interface ParsedTrajectory {
  path: string;
  header: HeaderEvent;
  events: TrajectoryEvent[];
  /** True when the last line was cut off (a killed run); the valid prefix is still returned. */
  truncated: boolean;
}

/** Reads a JSONL trajectory. A torn last line is tolerated; a bad line elsewhere is an error naming it. */
export function readTrajectory(path: string): ParsedTrajectory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TrajectoryFormatError(
      path,
      0,
      `cannot read trajectory (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return parseTrajectory(text, path);
}

/**
 * Parses a trajectory's JSONL text (a file's, or the lines a run store holds); `path` names it in errors.
 * A torn last line is tolerated; a bad line elsewhere is an error naming it.
 */
export function parseTrajectory(text: string, path: string): ParsedTrajectory {
  const lines = text.split('\n');
  const endsClean = text.endsWith('\n');
  const events: TrajectoryEvent[] = [];
  let truncated = false;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const isLast = index === lines.length - 1;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (isLast && !endsClean) {
        truncated = true;
        return;
      }
      throw new TrajectoryFormatError(path, index + 1, 'line is not valid JSON');
    }
    const parsed = trajectoryEvent.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TrajectoryFormatError(
        path,
        index + 1,
        `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid event'}`,
      );
    }
    events.push(parsed.data);
  });
  const header = events[0];
  if (header?.type !== 'header') throw new TrajectoryFormatError(path, 1, 'first event must be the header');
  return { path, header, events, truncated };
}

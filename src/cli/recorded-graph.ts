import { closeSync, openSync, readSync } from 'node:fs';
import { type HeaderEvent, headerEvent } from '../trajectory/trajectory-events.ts';
import { readTrajectory } from '../trajectory/trajectory-reader.ts';

/** How much of the file one read takes while looking for the end of the header line. */
const CHUNK_BYTES = 64 * 1024;

/**
 * The pipeline (`config.graph`) a trajectory file was recorded with, from its header line alone: `refinery replay`
 * needs it before the command is defined (the pipeline's own flags), and the run reads and checks the whole file
 * again anyway (a 10,000-event trajectory is 13 MB, some 0.3 s to parse and check). When the first line is not a
 * valid header (an unreadable file, a torn or blank first line, another event), the whole file is read as
 * `readTrajectory` reads it, so its error (file, line, what is wrong) is the one reported.
 */
export function recordedGraph(path: string): string | undefined {
  const header = headerOf(firstLine(path)) ?? readTrajectory(path).header;
  const graph = header.config['graph'];
  return typeof graph === 'string' ? graph : undefined;
}

function headerOf(line: string | undefined): HeaderEvent | undefined {
  if (line === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = headerEvent.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** The file's first line, when it ends with a newline; undefined when the file cannot be read or has none. */
function firstLine(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const chunks: Buffer[] = [];
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (read === 0) return undefined;
      const end = chunk.subarray(0, read).indexOf(0x0a);
      chunks.push(chunk.subarray(0, end === -1 ? read : end));
      if (end !== -1) return Buffer.concat(chunks).toString('utf8');
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

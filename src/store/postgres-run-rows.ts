/** The rows a run stores in PostgreSQL, as its writes (postgres-run-writes.ts) queue them. */

/** A trajectory event waiting to be stored: its seq, type and redacted JSON line. */
export interface PendingEvent {
  seq: number;
  type: string;
  line: string;
}

/** A checkpoint as LangGraph's PostgresSaver stores it: its row and the blobs of the channels that changed. */
export interface CheckpointRows {
  ns: string;
  id: string;
  parentId: string | undefined;
  checkpoint: unknown;
  metadata: unknown;
  blobs: { channel: string; version: string; type: string; blob: Uint8Array | undefined }[];
}

/**
 * A pending write of a task, as PostgresSaver's putWrites stores it. `upsert`: LangGraph's special channels
 * (error, interrupt, resume…: negative idx) replace a stored row; any other write keeps the first one stored.
 */
export interface WriteRow {
  ns: string;
  checkpointId: string;
  taskId: string;
  idx: number;
  channel: string;
  type: string;
  blob: Uint8Array;
  upsert: boolean;
}

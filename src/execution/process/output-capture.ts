/** Written where a capture cut out the middle of the output. */
export const OUTPUT_CUT_MARKER = '\n[... output cut ...]\n';

/**
 * The one output-cap rule of the process layer: a capture holds at most `cap` bytes, the first `cap - tail`
 * bytes of what arrived and the last `tail` bytes; whatever lies between is dropped (`truncated`). With
 * `tail` 0 it keeps the start only (a program's stdout and stderr, where the run is killed on overflow);
 * with half the cap it keeps both the first failures and the final summary of a test command.
 */
export class OutputCapture {
  private readonly head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  truncated = false;

  constructor(
    private readonly cap: number,
    private readonly tailBytes = 0,
  ) {}

  /** Adds a chunk; returns false once anything had to be dropped. */
  push(chunk: Buffer): boolean {
    const headRoom = this.cap - this.tailBytes - this.headSize;
    if (headRoom > 0) {
      const taken = chunk.subarray(0, headRoom);
      this.head.push(taken);
      this.headSize += taken.length;
      chunk = chunk.subarray(taken.length);
      if (chunk.length === 0) return !this.truncated;
    }
    if (this.tailBytes === 0) {
      this.truncated = true;
      return false;
    }
    this.tail.push(chunk);
    this.tailSize += chunk.length;
    while (this.tailSize > this.tailBytes) {
      const first = this.tail[0]!;
      const excess = this.tailSize - this.tailBytes;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailSize -= first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailSize -= excess;
      }
      this.truncated = true;
    }
    return !this.truncated;
  }

  /** The kept text; a cut between the start and the end is marked with OUTPUT_CUT_MARKER. */
  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    return this.truncated && this.tailBytes > 0 ? `${head}${OUTPUT_CUT_MARKER}${tail}` : head + tail;
  }
}

import { describe, expect, it } from 'vitest';
import type { TrajectoryEvent } from '../../src/trajectory/trajectory-events.ts';
import { TrajectoryWriter } from '../../src/trajectory/trajectory-writer.ts';

describe('a TrajectoryWriter without a file', () => {
  const note = { type: 'note' as const, message: 'key sk-live-12345 used', data: { n: 1 } };

  it('gives listeners every event in seq order', () => {
    const writer = new TrajectoryWriter(null, [], 7);
    const seen: TrajectoryEvent[] = [];
    writer.onEvent((event) => seen.push(event));
    const written = [writer.write(note), writer.write({ ...note, data: { n: 2 } })];
    expect(seen).toEqual(written);
    expect(seen.map((e) => e.seq)).toEqual([7, 8]);
    expect(writer.nextSeq).toBe(9);
    expect(seen[1]).toMatchObject({ type: 'note', data: { n: 2 } });
  });

  it('still redacts secrets before a listener sees them', () => {
    const writer = new TrajectoryWriter(null, ['sk-live-12345']);
    const seen: TrajectoryEvent[] = [];
    writer.onEvent((event) => seen.push(event));
    writer.write(note);
    expect(JSON.stringify(seen[0])).not.toContain('sk-live-12345');
    expect(seen[0]).toMatchObject({ message: 'key [REDACTED] used' });
  });
});

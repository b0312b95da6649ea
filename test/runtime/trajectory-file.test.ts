import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrajectoryFormatError } from '../../src/trajectory/trajectory-format-error.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import { TrajectoryWriter } from '../../src/trajectory/trajectory-writer.ts';

function header(writer: TrajectoryWriter, config: Record<string, unknown> = {}) {
  writer.write({ type: 'header', schemaVersion: 1, refineryVersion: '0.0.0', runId: 'r1', config, task: { id: 't' } });
}

describe('trajectory writer and reader', () => {
  it('writes one flushed line per event with increasing seq, readable while the writer is still open', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'traj-')), 'run.jsonl');
    const writer = new TrajectoryWriter(path);
    header(writer);
    writer.write({ type: 'node_enter', node: 'coder', step: 1 });
    // not closed yet: what is on disk must already be complete lines
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    const parsed = readTrajectory(path);
    expect(parsed.events.map((e) => e.seq)).toEqual([0, 1]);
    expect(parsed.truncated).toBe(false);
    writer.close();
  });

  it('replaces secret values everywhere, in the file and for listeners', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'traj-')), 'run.jsonl');
    const secret = 'sk-test-0123456789';
    const writer = new TrajectoryWriter(path, [secret]);
    const seen: string[] = [];
    writer.onEvent((e) => seen.push(JSON.stringify(e)));
    header(writer, { models: { m: { apiKey: secret } } });
    writer.write({ type: 'note', message: `key is ${secret}` });
    writer.close();
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED]');
    expect(seen.join('\n')).not.toContain(secret);
  });

  it('tolerates a torn last line (killed run) and returns the valid prefix', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'traj-')), 'run.jsonl');
    const writer = new TrajectoryWriter(path);
    header(writer);
    writer.write({ type: 'node_enter', node: 'coder', step: 1 });
    writer.close();
    appendFileSync(path, '{"seq":2,"at":"2026-01-01T00:00:00Z","type":"node_ex');
    const parsed = readTrajectory(path);
    expect(parsed.truncated).toBe(true);
    expect(parsed.events).toHaveLength(2);
  });

  it('names the line of a corrupt event in the middle', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'traj-')), 'run.jsonl');
    const writer = new TrajectoryWriter(path);
    header(writer);
    writer.close();
    const good = readFileSync(path, 'utf8');
    writeFileSync(path, `${good}not json\n${good}`);
    expect(() => readTrajectory(path)).toThrow(TrajectoryFormatError);
    expect(() => readTrajectory(path)).toThrow(/run\.jsonl:2: line is not valid JSON/);
  });
});

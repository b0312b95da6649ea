import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordedGraph } from '../../src/cli/recorded-graph.ts';
import { TrajectoryFormatError } from '../../src/trajectory/trajectory-format-error.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/trajectories/refine-running-max.jsonl');
const dir = mkdtempSync(join(tmpdir(), 'refinery-recorded-graph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const [headerLine = '', ...rest] = readFileSync(FIXTURE, 'utf8').split('\n');
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('recordedGraph: the pipeline a trajectory names, from its header line', () => {
  it('names the header config graph, as the whole file read does', () => {
    expect(recordedGraph(FIXTURE)).toBe('refine');
    expect(readTrajectory(FIXTURE).header.config['graph']).toBe('refine');
  });

  it('reads the header line only: a broken event after it is left to the run, which reads the whole file', () => {
    const path = file('bad-later.jsonl', `${headerLine}\n${rest[0]}\n{not json\n${rest.slice(1).join('\n')}`);
    expect(recordedGraph(path)).toBe('refine');
    expect(() => readTrajectory(path)).toThrow(TrajectoryFormatError);
  });

  it('finds a header line longer than one read (64 KiB)', () => {
    const header = JSON.parse(headerLine) as { task: Record<string, unknown> };
    header.task = { ...header.task, note: 'x'.repeat(200_000) };
    expect(recordedGraph(file('long-header.jsonl', `${JSON.stringify(header)}\n${rest.join('\n')}`))).toBe('refine');
  });

  it.each([
    ['a missing file', join(dir, 'no-such.jsonl'), 'cannot read trajectory'],
    ['a first line that is not JSON', 'not-json.jsonl', 'line is not valid JSON'],
    ['a first event that is not the header', 'no-header.jsonl', 'first event must be the header'],
    ['a torn header line and nothing else', 'torn.jsonl', 'first event must be the header'],
  ])('reports %s with the trajectory reader’s own error', (_what, name, message) => {
    const path = name.startsWith(dir)
      ? name
      : file(
          name,
          name === 'not-json.jsonl'
            ? `{oops\n${rest.join('\n')}`
            : name === 'no-header.jsonl'
              ? `${rest.join('\n')}`
              : headerLine.slice(0, 100),
        );
    let error: unknown;
    try {
      recordedGraph(path);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(TrajectoryFormatError);
    expect((error as TrajectoryFormatError).message).toContain(message);
    expect(() => readTrajectory(path)).toThrow((error as Error).message);
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { openStore } from '../../src/store/open-store.ts';
import { TrajectoryWriter } from '../../src/trajectory/trajectory-writer.ts';
import { captureOutput } from '../support/capture-output.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';

// `--store DIR`: today's files (DIR/<run>.jsonl, SQLite checkpoints beside) behind the same RunStore, so the
// commands and the worker take a directory shared by machines as they take PostgreSQL.
const dir = mkdtempSync(join(tmpdir(), 'refinery-directory-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...argv: string[]) => captureOutput(() => main(argv, shippedRefinery));

function writeRun(runId: string, final: boolean): void {
  const writer = new TrajectoryWriter(join(dir, `${runId}.jsonl`));
  writer.write({ type: 'header', schemaVersion: 1, refineryVersion: '0.0.0', runId, config: {}, task: { id: 't' } });
  writer.write({ type: 'node_enter', node: 'coder', step: 1 });
  if (final)
    writer.write({
      type: 'final',
      status: 'passed',
      exitCode: 0,
      result: { ok: true },
      totals: { iterations: 1, modelCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, wallMs: 1 },
    });
  writer.close();
}

describe('a directory as the run store', () => {
  it('gives the files as runs: targets, list, state; the commands read them by run id', async () => {
    writeRun('ended', true);
    writeRun('killed', false);
    const store = await openStore(dir);
    expect(store.kind).toBe('directory');
    expect(store.trajectoryTarget('ended')).toBe(join(dir, 'ended.jsonl'));
    expect(store.resultBackend).toBeUndefined();
    expect((await store.listRuns()).map((r) => [r.runId, r.events, r.status])).toEqual([
      ['ended', 3, 'passed'],
      ['killed', 2, undefined],
    ]);
    expect(await store.runState('ended')).toBe('passed');
    expect(await store.runState('killed')).toBe('unfinished');
    expect(await store.runState('none-such')).toBe('none');
    const checkpointer = await store.openCheckpointer('killed', () => ({
      seq: 0,
      totals: { iterations: 0, modelCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, wallMs: 0 },
      nodeSteps: 0,
      modelCalls: 0,
    }));
    expect(checkpointer.path).toBe(join(dir, 'killed.checkpoints.sqlite'));
    await checkpointer.remove();
    await store.close();

    const listed = await cli('view', '--store', dir);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^ended\t\S+\t3 events\tpassed\nkilled\t\S+\t2 events\tunfinished\n$/);
    const page = join(dir, 'ended.html');
    const viewed = await cli('view', '--store', dir, 'ended', '--out', page);
    expect(viewed.code, viewed.stderr).toBe(0);
    expect(readFileSync(page, 'utf8')).toContain('<html');
    const refused = await cli('resume', '--store', dir, 'ended');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the run already ended (status passed)');
    expect(existsSync(join(dir, 'ended.checkpoints.sqlite'))).toBe(false);
  });
});

/**
 * A child process for test/store/postgres-trajectories.test.ts: writes run ARGV[3]'s trajectory to the store at
 * ARGV[2] as fast as it can (a header, then node events without waiting), until the test kills it with SIGKILL.
 */
import { openStore } from '../../src/store/open-store.ts';
import { TrajectoryWriter } from '../../src/trajectory/trajectory-writer.ts';

const [url, runId] = process.argv.slice(2) as [string, string];
const store = await openStore(url);
const writer = new TrajectoryWriter(store.trajectoryTarget(runId));
writer.write({ type: 'header', schemaVersion: 1, refineryVersion: '0.0.0', runId, config: {}, task: { id: 't' } });
for (let step = 1; ; step++) {
  writer.write({ type: 'node_enter', node: 'coder', step });
  writer.write({ type: 'node_exit', node: 'coder', step, update: { step }, durationMs: step });
  // Let the inserts go out now and then, as a run's awaits do.
  if (step % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
}

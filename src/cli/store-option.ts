import { Option } from 'commander';
import type { RunStore } from '../store/run-store.ts';
import type { ParsedTrajectory } from '../trajectory/trajectory-reader.ts';
import { UsageError } from './usage-error.ts';

/** `--store URL|DIR`: the run operand is then a run id in that store (docs/distributed.md). */
export function storeOption(): Option {
  return new Option(
    '--store <URL|DIR>',
    'the run store (postgres://USER@HOST:PORT/DB, or a directory of trajectories): RUN is then a run id in it',
  );
}

/** Opens `--store`, runs `use` with it, and closes it whatever happens. */
export async function withStore<T>(location: string, use: (store: RunStore) => Promise<T>): Promise<T> {
  const { openStore } = await import('../store/open-store.ts');
  const store = await openStore(location);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** Run `runId`'s trajectory from the store; a run it does not hold is a usage error naming both. */
export async function storedTrajectory(store: RunStore, runId: string, command: string): Promise<ParsedTrajectory> {
  const trajectory = await store.readTrajectory(runId);
  if (!trajectory) throw new UsageError(command, `no run '${runId}' in the store ${store.label}`);
  return trajectory;
}

/** The value of `--store` on a command line not parsed yet (`--store X` or `--store=X`). */
export function storeArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return undefined;
    if (arg === '--store') return argv[i + 1];
    if (arg.startsWith('--store=')) return arg.slice('--store='.length);
  }
  return undefined;
}

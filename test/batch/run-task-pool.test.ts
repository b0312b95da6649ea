import { describe, expect, it } from 'vitest';
import { runTaskPool } from '../../src/batch/run-task-pool.ts';

/** A task that ends when the test says so: the pool's scheduling is observed without timers. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('runTaskPool, the in-process part of a batch', () => {
  it('runs every task once, at most `concurrency` at a time, and returns results by task index', async () => {
    const tasks = [5, 1, 4, 2, 3];
    let running = 0;
    let most = 0;
    const ended: number[] = [];
    const { results, started, stopped } = await runTaskPool({
      tasks,
      concurrency: 2,
      run: async (task) => {
        running++;
        most = Math.max(most, running);
        // Later tasks end first: a few turns of the event loop, as many as the task's value.
        for (let i = 0; i < task; i++) await Promise.resolve();
        running--;
        return task * 10;
      },
      onDone: ({ task, progress }) => {
        ended.push(task);
        expect(progress.total).toBe(5);
        expect(progress.done).toBe(ended.length);
      },
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
    expect(started).toBe(5);
    expect(stopped).toBe(false);
    expect(ended.sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('starts no task once its signal is aborted; the running one ends and keeps its result', async () => {
    const stop = new AbortController();
    const first = gate();
    const pending = runTaskPool({
      tasks: ['a', 'b', 'c'],
      concurrency: 1,
      signal: stop.signal,
      run: async (task) => {
        if (task === 'a') await first.opened;
        return task.toUpperCase();
      },
    });
    stop.abort('enough');
    first.open();
    const outcome = await pending;
    expect(outcome.results).toEqual(['A', undefined, undefined]);
    expect(outcome).toMatchObject({ started: 1, stopped: true });
  });

  it('a task that throws stops the pool: the running tasks end before the error is thrown', async () => {
    const slow = gate();
    const ran: string[] = [];
    let slowEnded = false;
    const pending = runTaskPool({
      tasks: ['slow', 'bad', 'never'],
      concurrency: 2,
      run: async (task) => {
        ran.push(task);
        if (task === 'slow') {
          await slow.opened;
          slowEnded = true;
        }
        if (task === 'bad') {
          slow.open();
          throw new Error('bad task');
        }
        return task;
      },
    });
    await expect(pending).rejects.toThrow('bad task');
    expect(slowEnded).toBe(true);
    expect(ran).toEqual(['slow', 'bad']);
  });
});

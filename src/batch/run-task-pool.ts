/** Where a pool of tasks stands, after a task ended. */
export interface TaskPoolProgress {
  total: number;
  /** Tasks that ended (their `run` returned). */
  done: number;
  running: number;
  elapsedMs: number;
  /** Estimated time left: the ended tasks' mean time, times the tasks left, over the concurrency. */
  etaMs: number | undefined;
}

export interface TaskPoolOptions<T, R> {
  tasks: readonly T[];
  /** Tasks run at once (at least 1). */
  concurrency?: number;
  /** Runs one task. A task that throws stops the pool (see {@link runTaskPool}); catch what a task may survive. */
  run(task: T, index: number): Promise<R>;
  /** Once aborted, no further task starts; the running ones end on their own (give them the same signal). */
  signal?: AbortSignal;
  /** After each task, in the order they end. */
  onDone?(ended: { task: T; index: number; result: R; progress: TaskPoolProgress }): void;
}

export interface TaskPoolOutcome<R> {
  /** By task index; `undefined` for a task that never started. */
  results: (R | undefined)[];
  /** Tasks started (every one that started has ended). */
  started: number;
  /** True when the signal stopped the pool before every task had started. */
  stopped: boolean;
}

/**
 * The in-process part of a batch: runs `tasks` in order, `concurrency` at a time, and hands each result back as it
 * ends (`onDone`, with the pool's progress) and in task order (`results`). `refinery batch` (runBatch) runs its
 * tasks' pipelines on it, and so can a benchmark that loops a pipeline over its dataset (`refinery bench codet`,
 * `refinery bench c2rust`): the queue, the concurrency, stopping and progress are written once.
 *
 * A task that throws stops the pool: no further task starts, the running ones end, then the first error is thrown
 * (nothing is left running behind the caller's back, e.g. while it releases an engine they use).
 */
export async function runTaskPool<T, R>(options: TaskPoolOptions<T, R>): Promise<TaskPoolOutcome<R>> {
  const { tasks, signal } = options;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const results: (R | undefined)[] = new Array(tasks.length);
  const started = performance.now();
  let next = 0;
  let done = 0;
  let running = 0;
  let doneMs = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < tasks.length && !signal?.aborted && failure === undefined) {
      const index = next++;
      const task = tasks[index]!;
      const taskStarted = performance.now();
      running++;
      let ended = false;
      try {
        const result = await options.run(task, index);
        ended = true;
        running--;
        results[index] = result;
        done++;
        doneMs += performance.now() - taskStarted;
        options.onDone?.({
          task,
          index,
          result,
          progress: {
            total: tasks.length,
            done,
            running,
            elapsedMs: performance.now() - started,
            etaMs: ((doneMs / done) * (tasks.length - done)) / concurrency,
          },
        });
      } catch (error) {
        if (!ended) running--;
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, tasks.length)) }, worker));
  if (failure) throw failure.error;
  return { results, started: next, stopped: next < tasks.length };
}

/** What one task contributes to the CodeT benchmark figures. */
export interface BenchTaskFigures {
  /** CodeT pass@k by `pass@k` key, as fractions. */
  passAtK: Record<string, number>;
  randomPassAtK: Record<string, number>;
  fallback: boolean;
  hasTests: boolean;
  timeouts: { tests: number; groundTruth: number };
}

export interface BenchSummary {
  tasks: number;
  /** Means over tasks, in percent. */
  codet: Record<string, number>;
  random: Record<string, number>;
  fallbackTasks: number;
  tasksWithoutTests: number;
  timeouts: { tests: number; groundTruth: number };
}

/** Averages per-task figures over tasks (percent), and sums the timeout counts. */
export function summarizeBench(
  tasks: readonly BenchTaskFigures[],
  codetKs: readonly number[],
  randomKs: readonly number[],
): BenchSummary {
  const mean = (pick: (task: BenchTaskFigures) => number) =>
    tasks.length === 0 ? 0 : (100 * tasks.reduce((sum, task) => sum + pick(task), 0)) / tasks.length;
  return {
    tasks: tasks.length,
    codet: Object.fromEntries(codetKs.map((k) => [`pass@${k}`, mean((t) => t.passAtK[`pass@${k}`] ?? 0)])),
    random: Object.fromEntries(randomKs.map((k) => [`pass@${k}`, mean((t) => t.randomPassAtK[`pass@${k}`] ?? 0)])),
    fallbackTasks: tasks.filter((t) => t.fallback).length,
    tasksWithoutTests: tasks.filter((t) => !t.hasTests).length,
    timeouts: {
      tests: tasks.reduce((sum, t) => sum + t.timeouts.tests, 0),
      groundTruth: tasks.reduce((sum, t) => sum + t.timeouts.groundTruth, 0),
    },
  };
}

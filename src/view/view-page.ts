import type { RunComparison } from './compare-runs.ts';
import type { RunView } from './run-view.ts';

/** The data one HTML page embeds: one run, or two runs and how they compare. */
export type ViewPage =
  | { kind: 'single'; runs: [RunView] }
  | { kind: 'compare'; runs: [RunView, RunView]; comparison: RunComparison };

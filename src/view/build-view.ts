import { type ParsedTrajectory, readTrajectory } from '../trajectory/trajectory-reader.ts';
import { buildRunView } from './build-run-view.ts';
import { compareRuns } from './compare-runs.ts';
import { renderViewHtml } from './render-view-html.ts';
import type { ViewPage } from './view-page.ts';

/** A trajectory file, or one already read (from a run store). */
type ViewSource = string | ParsedTrajectory;

/**
 * The viewer's HTML for one trajectory, or for two side by side (A first): a whole page, self-contained.
 * Throws TrajectoryFormatError (exit 2, naming the file and line) for a file that is not a trajectory.
 */
export function buildViewHtml(paths: readonly [ViewSource] | readonly [ViewSource, ViewSource]): string {
  return renderViewHtml(buildViewPage(paths));
}

export function buildViewPage(paths: readonly [ViewSource] | readonly [ViewSource, ViewSource]): ViewPage {
  const runs = paths.map((path) => buildRunView(typeof path === 'string' ? readTrajectory(path) : path));
  if (runs.length === 1) return { kind: 'single', runs: [runs[0]!] };
  const [a, b] = [runs[0]!, runs[1]!];
  return { kind: 'compare', runs: [a, b], comparison: compareRuns(a, b) };
}

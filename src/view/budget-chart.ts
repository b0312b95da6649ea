import type { BudgetTotals } from '../trajectory/trajectory-events.ts';
import { escapeHtml } from './escape-html.ts';
import type { RunView } from './run-view.ts';

/** Points per line at most: a long run is sampled (always keeping the last point), so the SVG stays small. */
const MAX_POINTS = 400;
const WIDTH = 260;
const HEIGHT = 90;
const PAD = { left: 6, right: 6, top: 16, bottom: 14 };

const SERIES: {
  key: keyof RunView['budgets']['limits'];
  label: string;
  value: (t: BudgetTotals) => number;
  unit: (v: number) => string;
}[] = [
  { key: 'iterations', label: 'iterations', value: (t) => t.iterations, unit: (v) => String(v) },
  { key: 'modelCalls', label: 'model calls', value: (t) => t.modelCalls, unit: (v) => String(v) },
  { key: 'tokens', label: 'tokens', value: (t) => t.inputTokens + t.outputTokens, unit: (v) => String(v) },
  { key: 'costUsd', label: 'cost', value: (t) => t.costUsd, unit: (v) => `$${v.toFixed(4)}` },
  { key: 'wallMs', label: 'wall time', value: (t) => t.wallMs, unit: (v) => `${(v / 1000).toFixed(1)} s` },
];

/**
 * Budgets over time as inline SVG: one small chart per budget (x: the event at which the totals were written,
 * y: the total so far), with the configured limit as a dashed line where the config set one.
 */
export function budgetChartSvg(budgets: RunView['budgets']): string {
  const points = sample(budgets.points);
  const charts = SERIES.map((series, i) => {
    const values = points.map((p) => series.value(p.totals));
    const limit = budgets.limits[series.key];
    const last = values.at(-1) ?? 0;
    const top = Math.max(limit ?? 0, ...values, 1e-9);
    const firstSeq = points[0]?.seq ?? 0;
    const span = Math.max(1, (points.at(-1)?.seq ?? 0) - firstSeq);
    const x = (seq: number) => PAD.left + ((seq - firstSeq) / span) * (WIDTH - PAD.left - PAD.right);
    const y = (v: number) => PAD.top + (1 - v / top) * (HEIGHT - PAD.top - PAD.bottom);
    const line = points.map((p, k) => `${x(p.seq).toFixed(1)},${y(values[k]!).toFixed(1)}`).join(' ');
    const limitLine =
      limit === null
        ? ''
        : `<line class="limit" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(limit).toFixed(1)}" y2="${y(limit).toFixed(1)}"/>`;
    const title = `${series.label}: ${series.unit(last)}${limit === null ? '' : ` of ${series.unit(limit)}`}`;
    return (
      `<g transform="translate(${(i % 3) * (WIDTH + 10)},${Math.floor(i / 3) * (HEIGHT + 10)})" data-budget="${series.key}">` +
      `<rect class="frame" width="${WIDTH}" height="${HEIGHT}"/>` +
      `<text x="${PAD.left}" y="11">${escapeHtml(title)}</text>` +
      limitLine +
      (points.length > 0 ? `<polyline points="${line}"/>` : '') +
      `<text class="axis" x="${PAD.left}" y="${HEIGHT - 3}">event ${firstSeq}</text>` +
      `<text class="axis" x="${WIDTH - PAD.right}" y="${HEIGHT - 3}" text-anchor="end">${points.at(-1)?.seq ?? ''}</text>` +
      `</g>`
    );
  });
  const rows = Math.ceil(SERIES.length / 3);
  const w = 3 * (WIDTH + 10);
  const h = rows * (HEIGHT + 10);
  return `<svg class="budget-chart" data-testid="budget-chart" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="budget totals over the run">${charts.join('')}</svg>`;
}

function sample<T>(points: T[]): T[] {
  if (points.length <= MAX_POINTS) return points;
  const every = points.length / MAX_POINTS;
  const out: T[] = [];
  for (let i = 0; i < MAX_POINTS - 1; i++) out.push(points[Math.floor(i * every)]!);
  out.push(points.at(-1)!);
  return out;
}

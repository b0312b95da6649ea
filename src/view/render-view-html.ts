import { budgetChartSvg } from './budget-chart.ts';
import { escapeHtml } from './escape-html.ts';
import type { RunView } from './run-view.ts';
import type { ViewPage } from './view-page.ts';
import { VIEWER_SCRIPT } from './viewer-script.ts';
import { VIEWER_STYLE } from './viewer-style.ts';

/** Characters of the final result shown in the page's summary (the full result is in the Events tab). */
const RESULT_CHARS = 20_000;

/**
 * One self-contained HTML page: the summary parts rendered here, the lists (timeline, model calls, executions,
 * events, aligned steps) drawn by the inline script from the embedded data, only the rows in view at a time. A
 * Content-Security-Policy forbids every fetch: the page works offline and loads nothing.
 */
export function renderViewHtml(page: ViewPage): string {
  const title =
    page.kind === 'single'
      ? `Refinery run ${page.runs[0].runId}`
      : `Refinery runs ${page.runs[0].runId} and ${page.runs[1].runId}`;
  const body = page.kind === 'single' ? runSection(page.runs[0], 0, '') : compareSections(page);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${VIEWER_STYLE}</style>`,
    '</head><body>',
    `<header class="page-head"><h1>${escapeHtml(title)}</h1><span class="generator">refinery view</span></header>`,
    body,
    `<script type="application/json" id="view-data">${embedJson(page)}</script>`,
    `<script>${VIEWER_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

const ESCAPED: Record<string, string> = { '<': '\\u003c', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** JSON that cannot end the script element it sits in (`</script>`, `<!--`), nor break a line in old parsers. */
function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<\u2028\u2029]/g, (c) => ESCAPED[c]!);
}

function runSection(run: RunView, index: number, label: string): string {
  const status = run.final
    ? `<span class="status status-${statusClass(run.final.status)}" data-testid="final-status">${escapeHtml(run.final.status)}</span> exit ${run.final.exitCode}`
    : '<span class="status status-none" data-testid="final-status">no final event</span>';
  const totals = run.final?.totals ?? run.budgets.points.at(-1)?.totals;
  const totalsText = totals
    ? `${totals.iterations} iterations · ${totals.modelCalls} model calls · ${totals.inputTokens + totals.outputTokens} tokens · $${totals.costUsd.toFixed(4)} · ${(totals.wallMs / 1000).toFixed(1)} s`
    : '';
  const error = run.final?.error
    ? `<p class="error" data-testid="final-error">${escapeHtml(`${run.final.error.name}: ${run.final.error.message}`)}</p>`
    : '';
  const result = run.final ? truncate(JSON.stringify(run.final.result, null, 2) ?? 'null', RESULT_CHARS) : '';
  return `<section class="run" data-run="${index}" data-testid="run-${index}">
<div class="run-head">
<h2>${label ? `<span class="side">${escapeHtml(label)}</span> ` : ''}${escapeHtml(run.runId)}</h2>
<dl class="facts">
<dt>pipeline</dt><dd data-testid="pipeline">${escapeHtml(run.pipeline || '(none named)')}</dd>
<dt>file</dt><dd>${escapeHtml(run.path)}</dd>
<dt>started</dt><dd>${escapeHtml(run.startedAt)}</dd>
${run.replayOf ? `<dt>replay of</dt><dd>${escapeHtml(run.replayOf)}</dd>` : ''}
<dt>events</dt><dd>${run.events.length}</dd>
</dl>
</div>
${run.truncated ? `<div class="banner truncated" data-testid="truncated-banner"><strong>truncated</strong> — ${escapeHtml(run.truncated)}</div>` : ''}
<div class="final">
<p>Final: ${status}${totalsText ? ` · ${escapeHtml(totalsText)}` : ''}</p>
${error}
${run.final ? `<details${result.length < 4000 ? ' open' : ''}><summary>result</summary><pre data-testid="final-result">${escapeHtml(result)}</pre></details>` : ''}
<details><summary>task</summary><pre>${escapeHtml(truncate(JSON.stringify(run.task, null, 2) ?? 'null', RESULT_CHARS))}</pre></details>
</div>
<h3>Budgets over the run</h3>
${budgetChartSvg(run.budgets)}
<div class="tabbed">
<nav class="tabs">
<button type="button" class="tab" data-tab="timeline">Timeline (${run.spans.length} nodes)</button>
<button type="button" class="tab" data-tab="calls">Model calls (${run.calls.length})</button>
<button type="button" class="tab" data-tab="executions">Executions (${run.executions.length})</button>
<button type="button" class="tab" data-tab="events">Events (${run.events.length})</button>
</nav>
<div class="panes">
<div class="vlist" data-testid="list"></div>
<div class="detail" data-testid="detail"><p class="hint">Select a row to see it here.</p></div>
</div>
</div>
</section>`;
}

function compareSections(page: Extract<ViewPage, { kind: 'compare' }>): string {
  const [a, b] = page.runs;
  const { first, header } = page.comparison;
  const firstHtml = first
    ? `<section class="first-difference" data-testid="first-difference">
<h2>First difference${first.step === null ? '' : ` at step ${first.step}`}${first.node ? ` (node '${escapeHtml(first.node)}')` : ''}</h2>
<p data-testid="first-difference-what">${escapeHtml(first.what)}</p>
${first.diff ? `<p class="legend"><span class="del">- A</span> <span class="add">+ B</span></p>${diffHtml(first.diff)}` : ''}
${first.row === null ? '' : '<button type="button" class="jump" data-testid="jump-to-difference">show it in the aligned steps</button>'}
</section>`
    : '<section class="first-difference same" data-testid="no-difference"><h2>No difference</h2><p>The runs made the same requests, got the same replies and results, and ended the same way.</p></section>';
  const headerDiff = (name: string, diff: string) =>
    diff
      ? `<details data-testid="header-diff-${name}"><summary>${name} differs</summary>${diffHtml(diff)}</details>`
      : `<p class="same-line">same ${name}</p>`;
  return `<section class="compare-head">
<p><span class="side">A</span> ${escapeHtml(a.path)} (${escapeHtml(a.runId)}, ${escapeHtml(a.final?.status ?? 'no final event')}) · <span class="side">B</span> ${escapeHtml(b.path)} (${escapeHtml(b.runId)}, ${escapeHtml(b.final?.status ?? 'no final event')})</p>
${headerDiff('task', header.task)}${headerDiff('config', header.config)}${headerDiff('prompts', header.prompts)}
</section>
${firstHtml}
<div class="tabbed top">
<nav class="tabs">
<button type="button" class="tab" data-tab="aligned">Aligned steps (${page.comparison.rows.length})</button>
<button type="button" class="tab" data-tab="run-a">Run A</button>
<button type="button" class="tab" data-tab="run-b">Run B</button>
</nav>
<div class="pane" data-pane="aligned" data-testid="aligned">
<div class="panes"><div class="vlist" data-testid="aligned-list"></div><div class="detail" data-testid="aligned-detail"><p class="hint">Select a step to see both runs' events.</p></div></div>
</div>
<div class="pane" data-pane="run-a">${runSection(a, 0, 'A')}</div>
<div class="pane" data-pane="run-b">${runSection(b, 1, 'B')}</div>
</div>`;
}

function diffHtml(diff: string): string {
  const lines = diff.split('\n').map((line) => {
    const cls = line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : '';
    return cls ? `<span class="${cls}">${escapeHtml(line)}</span>` : escapeHtml(line);
  });
  return `<pre class="diff" data-testid="diff">${lines.join('\n')}</pre>`;
}

function statusClass(status: string): string {
  if (status === 'passed') return 'passed';
  if (status === 'failed' || status === 'error' || status === 'diverged' || status === 'invalid-input') return 'failed';
  return 'other';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length} characters in all)` : text;
}

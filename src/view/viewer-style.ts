/** The page's stylesheet, inline: no font, image or sheet is loaded from anywhere. */
export const VIEWER_STYLE = `
:root { --fg: #1d2330; --muted: #667085; --line: #d9dee7; --bg: #ffffff; --soft: #f5f7fa; --pass: #1a7f37; --fail: #c4262e; --other: #9a6700; --accent: #2f5fd0; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
pre, .diff, code { font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, monospace; }
.page-head { display: flex; align-items: baseline; gap: 12px; padding: 10px 16px; border-bottom: 1px solid var(--line); background: var(--soft); }
.page-head h1 { font-size: 16px; margin: 0; }
.generator { color: var(--muted); }
section.run, .compare-head, .first-difference, .tabbed.top { padding: 8px 16px; }
h2 { font-size: 15px; margin: 6px 0; }
h3 { font-size: 14px; margin: 8px 0 4px; }
h4 { font-size: 12px; margin: 10px 0 4px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 4px 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; word-break: break-all; }
.banner.truncated { margin: 8px 0; padding: 8px 12px; border: 1px solid #e3b341; background: #fff8c5; border-radius: 4px; }
.status { display: inline-block; padding: 0 6px; border-radius: 3px; font-weight: 600; color: #fff; background: var(--other); }
.status-passed { background: var(--pass); }
.status-failed { background: var(--fail); }
.status-none { background: var(--muted); }
.error { color: var(--fail); }
details > summary { cursor: pointer; color: var(--accent); }
pre { white-space: pre-wrap; word-break: break-word; background: var(--soft); border: 1px solid var(--line); border-radius: 3px; padding: 6px 8px; margin: 4px 0; max-height: 420px; overflow: auto; }
.budget-chart { display: block; max-width: 100%; height: auto; }
.budget-chart .frame { fill: var(--soft); stroke: var(--line); }
.budget-chart polyline { fill: none; stroke: var(--accent); stroke-width: 1.5; }
.budget-chart .limit { stroke: var(--fail); stroke-dasharray: 4 3; }
.budget-chart text { font-size: 10px; fill: var(--fg); }
.budget-chart text.axis { fill: var(--muted); font-size: 9px; }
.tabs { display: flex; gap: 4px; border-bottom: 1px solid var(--line); margin-top: 10px; }
.tab { border: 1px solid var(--line); border-bottom: none; background: var(--soft); padding: 4px 10px; border-radius: 4px 4px 0 0; cursor: pointer; font: inherit; }
.tab.active { background: var(--bg); font-weight: 600; position: relative; top: 1px; }
.panes { display: flex; gap: 10px; margin-top: 6px; }
.vlist { flex: 1 1 52%; min-width: 0; height: 62vh; min-height: 280px; overflow-y: auto; position: relative; border: 1px solid var(--line); border-radius: 3px; outline: none; }
.vinner { position: relative; width: 100%; }
.vrow { position: absolute; left: 0; right: 0; height: 24px; line-height: 24px; padding: 0 6px; display: flex; gap: 8px; white-space: nowrap; overflow: hidden; cursor: pointer; border-bottom: 1px solid #f0f2f5; }
.vrow:hover { background: #eef3ff; }
.vrow.selected { background: #dbe6ff; }
.detail { flex: 1 1 48%; min-width: 0; height: 62vh; min-height: 280px; overflow: auto; border: 1px solid var(--line); border-radius: 3px; padding: 6px 10px; }
.hint { color: var(--muted); }
.final pre { max-height: 260px; }
.c-seq { width: 48px; flex: none; color: var(--muted); text-align: right; }
.c-step { width: 40px; flex: none; color: var(--muted); text-align: right; }
.c-type { width: 90px; flex: none; overflow: hidden; text-overflow: ellipsis; }
.c-node { width: 110px; flex: none; overflow: hidden; text-overflow: ellipsis; font-weight: 600; }
.c-dur { width: 80px; flex: none; text-align: right; color: var(--muted); }
.c-n { width: 70px; flex: none; color: var(--muted); }
.c-mark { width: 80px; flex: none; color: var(--muted); text-align: center; }
.c-text { flex: 1; overflow: hidden; text-overflow: ellipsis; color: #3c4454; }
.c-verdict { width: 140px; flex: none; }
.c-side { flex: 1; overflow: hidden; text-overflow: ellipsis; }
.c-side.missing { color: var(--muted); font-style: italic; }
.bar { flex: 1; height: 10px; align-self: center; background: var(--soft); border-radius: 2px; }
.bar .fill { display: block; min-width: 2px; height: 100%; background: var(--accent); border-radius: 2px; }
.unfinished .fill { background: repeating-linear-gradient(45deg, #e3b341, #e3b341 4px, #fff8c5 4px, #fff8c5 8px); }
.call-row.failed .c-text { color: var(--fail); }
.role { font-weight: 600; color: var(--muted); margin-top: 6px; }
.diff .add { color: #116329; background: #dafbe1; display: inline-block; width: 100%; }
.diff .del { color: #82071e; background: #ffebe9; display: inline-block; width: 100%; }
.diff .hunk { color: var(--accent); }
.legend .add { color: #116329; } .legend .del { color: #82071e; }
.first-difference { border-left: 4px solid var(--fail); background: #fff5f5; margin: 8px 16px; }
.first-difference.same { border-left-color: var(--pass); background: #f3fbf5; }
.aligned-row.differs .c-mark { color: var(--fail); font-weight: 700; }
.aligned-row.first-diff-row { background: #ffe3e3; }
.event-line { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; padding: 2px 0; border-bottom: 1px solid #f0f2f5; }
.event-line.marked { background: #ffe3e3; outline: 2px solid var(--fail); }
.event-line details { flex-basis: 100%; }
.link { border: none; background: none; color: var(--accent); cursor: pointer; padding: 0; font: inherit; text-decoration: underline; }
.columns { display: flex; gap: 10px; }
.column { flex: 1; min-width: 0; }
.side { display: inline-block; font-weight: 700; background: var(--fg); color: #fff; padding: 0 6px; border-radius: 3px; }
.jump { margin: 4px 0; }
.same-line { color: var(--muted); margin: 2px 0; }
table.limits td { padding: 1px 8px 1px 0; }
[hidden] { display: none !important; }
`;

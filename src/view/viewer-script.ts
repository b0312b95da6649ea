/**
 * The page's script (plain ES2017, no library): reads the embedded data and draws the lists as virtual lists
 * (only the rows in view, redrawn on scroll), so a trajectory of tens of thousands of events opens at once.
 * Every text goes in through textContent; nothing is fetched.
 */
export const VIEWER_SCRIPT = String.raw`
(function () {
  'use strict';
  var page = JSON.parse(document.getElementById('view-data').textContent);
  var ROW = 24;
  var MAX_DIFF_LINES = 4000;

  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function ms(v) {
    if (v === null || v === undefined) return '-';
    return v < 1000 ? v + ' ms' : (v / 1000).toFixed(2) + ' s';
  }
  function clip(s, n) { s = String(s); return s.length > n ? s.slice(0, n) + '\u2026' : s; }
  function oneLine(s) { return String(s).replace(/\s+/g, ' ').trim(); }
  function json(v, max) {
    var s;
    try { s = JSON.stringify(v, null, 2); } catch (e) { s = String(v); }
    if (s === undefined) s = 'null';
    max = max || 200000;
    return s.length > max ? s.slice(0, max) + '\n\u2026 (' + s.length + ' characters in all)' : s;
  }
  function diffPre(diff) {
    var pre = h('pre', 'diff');
    pre.setAttribute('data-testid', 'diff');
    var lines = diff.split('\n');
    lines.slice(0, MAX_DIFF_LINES).forEach(function (line) {
      var c = line.slice(0, 2) === '@@' ? 'hunk' : line[0] === '+' ? 'add' : line[0] === '-' ? 'del' : '';
      pre.appendChild(h('span', c, line + '\n'));
    });
    if (lines.length > MAX_DIFF_LINES) pre.appendChild(h('span', 'hunk', '\u2026 ' + (lines.length - MAX_DIFF_LINES) + ' more lines'));
    return pre;
  }
  function statusClass(s) {
    if (s === 'passed' || s === 'ok') return 'passed';
    if (/fail|error|timeout|crash|diverged|invalid/.test(s)) return 'failed';
    return 'other';
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
  function badge(text) { return h('span', 'status status-' + statusClass(text), text || 'no verdict'); }
  function section(parent, title) { parent.appendChild(h('h4', null, title)); }

  // A scrolling list that keeps only the rows in view (plus a margin) in the document.
  function VirtualList(container, count, render, onSelect) {
    container.textContent = '';
    container.scrollTop = 0;
    var inner = h('div', 'vinner');
    inner.style.height = (count * ROW) + 'px';
    container.appendChild(inner);
    var selected = -1;
    var from = -1, to = -1, pending = false;
    function draw(force) {
      pending = false;
      var top = container.scrollTop;
      var height = container.clientHeight || 480;
      var f = Math.max(0, Math.floor(top / ROW) - 10);
      var t = Math.min(count, Math.ceil((top + height) / ROW) + 10);
      if (!force && f === from && t === to) return;
      from = f; to = t;
      inner.textContent = '';
      for (var i = f; i < t; i++) {
        var row = render(i);
        row.classList.add('vrow');
        if (i === selected) row.classList.add('selected');
        row.style.top = (i * ROW) + 'px';
        row.setAttribute('data-index', String(i));
        inner.appendChild(row);
      }
    }
    function select(i, scroll) {
      if (i < 0 || i >= count) return;
      selected = i;
      if (scroll) {
        var view = container.clientHeight || 480;
        if (i * ROW < container.scrollTop || (i + 1) * ROW > container.scrollTop + view)
          container.scrollTop = Math.max(0, i * ROW - view / 3);
      }
      draw(true);
      onSelect(i);
    }
    container.addEventListener('scroll', function () {
      if (!pending) { pending = true; requestAnimationFrame(function () { draw(false); }); }
    });
    inner.addEventListener('click', function (ev) {
      var row = ev.target.closest('.vrow');
      if (row) select(Number(row.getAttribute('data-index')));
    });
    container.tabIndex = 0;
    container.addEventListener('keydown', function (ev) {
      if (ev.key === 'ArrowDown') { select(Math.min(count - 1, selected + 1), true); ev.preventDefault(); }
      if (ev.key === 'ArrowUp') { select(Math.max(0, selected - 1), true); ev.preventDefault(); }
    });
    draw(true);
    return { select: select, redraw: function () { draw(true); } };
  }

  // Event index -> position in run.calls / run.executions, built once per run.
  function lookups(run) {
    if (!run.__lookups) {
      var callAt = {}, execAt = {};
      run.calls.forEach(function (c, i) { callAt[c.event] = i; });
      run.executions.forEach(function (x, i) { execAt[x.event] = i; });
      run.__lookups = { callAt: callAt, execAt: execAt };
    }
    return run.__lookups;
  }

  function RunPage(sectionEl, run) {
    var listEl = sectionEl.querySelector('.vlist');
    var detail = sectionEl.querySelector('.detail');
    var execByEvent = lookups(run).execAt;
    // The timeline's time axis: from the header to the end of the last node (or the run's wall time).
    var totalMs = 1;
    run.spans.forEach(function (s) { totalMs = Math.max(totalMs, s.startMs + (s.durationMs || 0)); });
    if (run.final) totalMs = Math.max(totalMs, run.final.totals.wallMs);
    var list = null;
    var current = null;

    function summary(e, index) {
      switch (e.type) {
        case 'header': return 'run ' + e.runId;
        case 'node_enter': return 'step ' + e.step;
        case 'node_exit': return 'step ' + e.step + ', ' + ms(e.durationMs);
        case 'model_call': return e.request.agent + ': ' + clip(oneLine(e.reply.texts[0] || ''), 160);
        case 'model_error': return e.request.agent + ': ' + e.error.name + ': ' + clip(oneLine(e.error.message), 140);
        case 'execution': return e.kind + ' ' + (execByEvent[index] !== undefined ? run.executions[execByEvent[index]].verdict : '');
        case 'budget': return e.totals.modelCalls + ' calls, ' + (e.totals.inputTokens + e.totals.outputTokens) + ' tokens, $' + e.totals.costUsd.toFixed(4);
        case 'note': return clip(oneLine(e.message), 160);
        case 'final': return e.status + ' (exit ' + e.exitCode + ')';
        case 'resume': return 'resumed from event ' + e.fromSeq + (e.checkpointStep === null ? ', from the start' : ', checkpoint at step ' + e.checkpointStep);
        default: return clip(oneLine(JSON.stringify(e)), 160);
      }
    }
    function eventRow(index) {
      var e = run.events[index];
      var row = h('div', 'row event-row type-' + e.type);
      row.appendChild(h('span', 'c-seq', String(e.seq)));
      row.appendChild(h('span', 'c-type', e.type));
      row.appendChild(h('span', 'c-node', e.node || ''));
      row.appendChild(h('span', 'c-text', summary(e, index)));
      return row;
    }

    var tabs = {
      timeline: {
        count: run.spans.length,
        row: function (i) {
          var s = run.spans[i];
          var row = h('div', 'row span-row' + (s.exit === null ? ' unfinished' : ''));
          row.appendChild(h('span', 'c-step', String(s.step)));
          row.appendChild(h('span', 'c-node', s.node));
          var bar = h('span', 'bar');
          var fill = h('span', 'fill');
          var left = (100 * s.startMs) / totalMs;
          fill.style.marginLeft = Math.min(99.6, left) + '%';
          fill.style.width = Math.max(0.4, s.durationMs === null ? 100 - left : (100 * s.durationMs) / totalMs) + '%';
          bar.title = 'starts ' + ms(s.startMs) + ' into the run';
          bar.appendChild(fill);
          row.appendChild(bar);
          row.appendChild(h('span', 'c-dur', s.exit === null ? (s.interrupted ? 'killed, resumed' : 'did not return') : ms(s.durationMs)));
          row.appendChild(h('span', 'c-n', plural(s.events.length, 'event')));
          return row;
        },
        show: function (i) { showSpan(detail, run, run.spans[i], null); },
      },
      calls: {
        count: run.calls.length,
        row: function (i) {
          var c = run.calls[i];
          var e = run.events[c.event];
          var row = h('div', 'row call-row' + (e.type === 'model_error' ? ' failed' : ''));
          row.appendChild(h('span', 'c-seq', '#' + e.call));
          row.appendChild(h('span', 'c-node', c.agent));
          row.appendChild(h('span', 'c-node', e.node));
          if (e.type === 'model_call') {
            row.appendChild(h('span', 'c-dur', (e.reply.usage.inputTokens + e.reply.usage.outputTokens) + ' tok'));
            row.appendChild(h('span', 'c-dur', ms(e.reply.latencyMs)));
          } else row.appendChild(h('span', 'c-dur', e.error.name));
          row.appendChild(h('span', 'c-mark', c.previous === null ? 'first' : c.promptDiff ? '\u0394 prompt' : 'same prompt'));
          row.appendChild(h('span', 'c-text', e.type === 'model_call' ? clip(oneLine(e.reply.texts[0] || ''), 120) : clip(oneLine(e.error.message), 120)));
          return row;
        },
        show: function (i) { showCall(detail, run, i); },
      },
      executions: {
        count: run.executions.length,
        row: function (i) {
          var x = run.executions[i];
          var e = run.events[x.event];
          var row = h('div', 'row exec-row');
          row.appendChild(h('span', 'c-seq', String(e.seq)));
          row.appendChild(h('span', 'c-node', e.node));
          row.appendChild(h('span', 'c-type', e.kind));
          var v = h('span', 'c-verdict');
          v.appendChild(badge(x.verdict));
          row.appendChild(v);
          row.appendChild(h('span', 'c-dur', ms(e.durationMs === undefined ? null : e.durationMs)));
          return row;
        },
        show: function (i) { showExecution(detail, run, i); },
      },
      events: {
        count: run.events.length,
        row: eventRow,
        show: function (i) { showEvent(detail, run, i); },
      },
    };

    function open(name) {
      current = name;
      sectionEl.querySelectorAll('.tabs .tab').forEach(function (b) {
        b.classList.toggle('active', b.getAttribute('data-tab') === name);
      });
      var tab = tabs[name];
      listEl.setAttribute('data-list', name);
      list = VirtualList(listEl, tab.count, tab.row, tab.show);
      detail.textContent = '';
      detail.appendChild(h('p', 'hint', tab.count === 0 ? 'Nothing of this kind in the run.' : 'Select a row to see it here.'));
    }
    sectionEl.querySelectorAll('.tabs .tab').forEach(function (b) {
      b.addEventListener('click', function () { open(b.getAttribute('data-tab')); });
    });
    detail.addEventListener('click', function (ev) {
      var link = ev.target.closest('[data-goto]');
      if (!link) return;
      var parts = link.getAttribute('data-goto').split(':');
      open(parts[0]);
      list.select(Number(parts[1]), true);
    });
    open('timeline');
    return {
      open: open,
      redraw: function () { if (list) list.redraw(); },
      selectIn: function (name, i) { open(name); list.select(i, true); },
      current: function () { return current; },
    };
  }

  function gotoLink(label, target) {
    var a = h('button', 'link', label);
    a.type = 'button';
    a.setAttribute('data-goto', target);
    return a;
  }

  function eventLine(run, index, mark) {
    var e = run.events[index];
    var line = h('div', 'event-line' + (mark === index ? ' marked' : ''));
    if (mark === index) line.setAttribute('data-testid', 'marked-event');
    line.appendChild(h('span', 'c-seq', String(e.seq)));
    line.appendChild(h('span', 'c-type', e.type));
    var found = lookups(run);
    var callAt = found.callAt[index] === undefined ? -1 : found.callAt[index];
    var execAt = found.execAt[index] === undefined ? -1 : found.execAt[index];
    if (callAt >= 0) line.appendChild(gotoLink('model call #' + e.call + ' (' + e.request.agent + ')', 'calls:' + callAt));
    else if (execAt >= 0) {
      line.appendChild(gotoLink(e.kind, 'executions:' + execAt));
      line.appendChild(badge(run.executions[execAt].verdict));
    } else line.appendChild(gotoLink(e.type === 'node_exit' ? 'returned its update' : clip(oneLine(e.message || e.type), 100), 'events:' + index));
    var more = h('details');
    var sum = h('summary', null, 'event');
    more.appendChild(sum);
    more.addEventListener('toggle', function () {
      if (more.open && more.childNodes.length === 1) more.appendChild(h('pre', null, json(e)));
    });
    line.appendChild(more);
    return line;
  }

  function showSpan(target, run, span, mark) {
    target.textContent = '';
    if (!span) { target.appendChild(h('p', 'hint', 'This run has no node at this step.')); return; }
    var box = h('div', 'span-detail');
    box.setAttribute('data-testid', 'span-detail');
    box.appendChild(h('h3', null, 'step ' + span.step + ' \u00b7 ' + span.node));
    box.appendChild(h('p', null, span.exit === null ? 'The node did not return (the run stopped in it).' : 'Took ' + ms(span.durationMs) + ', started ' + ms(span.startMs) + ' into the run.'));
    var events = span.events.slice();
    if (span.exit !== null) events.push(span.exit);
    events.forEach(function (i) { box.appendChild(eventLine(run, i, mark)); });
    target.appendChild(box);
  }

  function showCall(target, run, i) {
    var c = run.calls[i];
    var e = run.events[c.event];
    target.textContent = '';
    var box = h('div', 'call-detail');
    box.setAttribute('data-testid', 'call-detail');
    box.appendChild(h('h3', null, 'model call #' + e.call + ' \u00b7 ' + c.agent + ' \u00b7 node ' + e.node));
    box.appendChild(h('p', null, e.request.provider + ' ' + e.request.model + (e.request.recordKey ? ' \u00b7 record key ' + e.request.recordKey : '') + ' \u00b7 params ' + JSON.stringify(e.request.params)));
    if (e.type === 'model_call') {
      var r = e.reply;
      box.appendChild(h('p', null, r.usage.inputTokens + ' in + ' + r.usage.outputTokens + ' out tokens \u00b7 $' + r.costUsd.toFixed(5) + ' \u00b7 ' + ms(r.latencyMs) + ' \u00b7 ' + r.attempts + ' attempt(s) \u00b7 finish ' + r.finishReasons.join(', ') + ' \u00b7 ' + r.model));
    }
    var diffBox = h('div', 'call-diff');
    diffBox.setAttribute('data-testid', 'call-diff');
    if (c.previous === null) {
      section(diffBox, 'Diff against the previous call');
      diffBox.appendChild(h('p', 'hint', 'This is agent ' + c.agent + "'s first call."));
    } else {
      var prev = run.events[c.previous];
      var prevAt = lookups(run).callAt[c.previous];
      section(diffBox, 'Prompt against ' + c.agent + "'s previous call");
      var p = h('p', 'legend');
      p.appendChild(h('span', 'del', '- call #' + prev.call + ' '));
      p.appendChild(h('span', 'add', '+ this call '));
      p.appendChild(gotoLink('open call #' + prev.call, 'calls:' + prevAt));
      diffBox.appendChild(p);
      diffBox.appendChild(c.promptDiff ? diffPre(c.promptDiff) : h('p', 'hint', 'The same prompt.'));
      section(diffBox, 'Reply against the previous call');
      diffBox.appendChild(c.replyDiff ? diffPre(c.replyDiff) : h('p', 'hint', 'The same reply.'));
    }
    box.appendChild(diffBox);
    section(box, 'Prompt');
    var prompt = h('div', 'prompt');
    prompt.setAttribute('data-testid', 'prompt');
    e.request.messages.forEach(function (m) {
      prompt.appendChild(h('div', 'role role-' + m.role, m.role + (m.toolCallId ? ' (answers ' + m.toolCallId + ')' : '')));
      prompt.appendChild(h('pre', 'message', m.content));
      (m.toolCalls || []).forEach(function (t) { prompt.appendChild(h('pre', 'tool-call', 'tool call ' + t.name + '(' + t.arguments + ')')); });
    });
    box.appendChild(prompt);
    section(box, e.type === 'model_call' ? (e.reply.texts.length > 1 ? 'Replies (' + e.reply.texts.length + ' samples)' : 'Reply') : 'Error');
    var reply = h('div', 'reply');
    reply.setAttribute('data-testid', 'reply');
    if (e.type === 'model_call') {
      e.reply.texts.forEach(function (t, k) {
        reply.appendChild(h('pre', 'message', t));
        ((e.reply.toolCalls || [])[k] || []).forEach(function (t2) { reply.appendChild(h('pre', 'tool-call', 'tool call ' + t2.name + '(' + t2.arguments + ')')); });
      });
    } else reply.appendChild(h('pre', 'message error', e.error.name + ': ' + e.error.message));
    box.appendChild(reply);
    target.appendChild(box);
  }

  function limitRow(key, value, from) {
    var tr = h('tr', 'from-' + from);
    tr.appendChild(h('td', null, key));
    tr.appendChild(h('td', null, String(value)));
    tr.appendChild(h('td', 'hint', from === 'config' ? 'the run\'s config' : 'this request'));
    return tr;
  }

  function showExecution(target, run, i) {
    var x = run.executions[i];
    var e = run.events[x.event];
    target.textContent = '';
    var box = h('div', 'exec-detail');
    box.setAttribute('data-testid', 'execution-detail');
    var title = h('h3', null, e.kind + ' \u00b7 node ' + e.node + ' ');
    title.appendChild(badge(x.verdict));
    box.appendChild(title);
    box.appendChild(h('p', null, 'took ' + ms(e.durationMs === undefined ? null : e.durationMs) + ' \u00b7 key ' + e.key.slice(0, 16)));
    section(box, 'Limits');
    var own = Object.keys(x.limits);
    var defaults = Object.keys(run.executionLimits);
    if (own.length === 0 && defaults.length === 0) box.appendChild(h('p', 'hint', 'Neither the request nor the config sets a limit.'));
    else {
      var table = h('table', 'limits');
      table.setAttribute('data-testid', 'limits');
      own.forEach(function (k) { table.appendChild(limitRow(k, x.limits[k], 'request')); });
      defaults.forEach(function (k) { table.appendChild(limitRow(k, run.executionLimits[k], 'config')); });
      box.appendChild(table);
    }
    section(box, 'Program and output');
    x.excerpts.forEach(function (ex) {
      box.appendChild(h('div', 'role', ex.label));
      box.appendChild(h('pre', 'message excerpt', ex.text));
    });
    var more = h('details');
    more.appendChild(h('summary', null, 'the whole event'));
    more.addEventListener('toggle', function () {
      if (more.open && more.childNodes.length === 1) more.appendChild(h('pre', null, json(e)));
    });
    box.appendChild(more);
    target.appendChild(box);
  }

  function showEvent(target, run, i) {
    target.textContent = '';
    var e = run.events[i];
    var box = h('div', 'event-detail');
    box.setAttribute('data-testid', 'event-detail');
    box.appendChild(h('h3', null, 'event ' + e.seq + ' \u00b7 ' + e.type + (e.node ? ' \u00b7 ' + e.node : '')));
    box.appendChild(h('pre', null, json(e)));
    target.appendChild(box);
  }

  function setupTabs(container, onOpen) {
    var nav = container.querySelector(':scope > .tabs');
    var buttons = nav.querySelectorAll('.tab');
    function open(name) {
      buttons.forEach(function (b) { b.classList.toggle('active', b.getAttribute('data-tab') === name); });
      container.querySelectorAll(':scope > .pane').forEach(function (p) {
        p.hidden = p.getAttribute('data-pane') !== name;
      });
      onOpen(name);
    }
    buttons.forEach(function (b) { b.addEventListener('click', function () { open(b.getAttribute('data-tab')); }); });
    return open;
  }

  function comparePage() {
    var A = page.runs[0], B = page.runs[1], cmp = page.comparison;
    var top = document.querySelector('.tabbed.top');
    var runPages = {};
    var alignedDetail = top.querySelector('[data-testid="aligned-detail"]');
    function sideCell(run, spanIndex) {
      var cell = h('span', 'c-side');
      if (spanIndex === null) { cell.classList.add('missing'); cell.textContent = '(no step)'; return cell; }
      var s = run.spans[spanIndex];
      cell.textContent = s.node + ' \u00b7 ' + (s.exit === null ? 'did not return' : ms(s.durationMs)) + ' \u00b7 ' + plural(s.events.length, 'event');
      return cell;
    }
    function showRow(i) {
      var r = cmp.rows[i];
      var marked = cmp.first && cmp.first.row === i;
      alignedDetail.textContent = '';
      var cols = h('div', 'columns');
      [[A, r.a, marked ? cmp.first.a : null, 'A'], [B, r.b, marked ? cmp.first.b : null, 'B']].forEach(function (side) {
        var col = h('div', 'column');
        col.setAttribute('data-testid', 'side-' + side[3]);
        col.appendChild(h('div', 'side', side[3]));
        var inner = h('div');
        showSpan(inner, side[0], side[1] === null ? null : side[0].spans[side[1]], side[2]);
        col.appendChild(inner);
        cols.appendChild(col);
      });
      alignedDetail.appendChild(h('p', null, 'step ' + r.step + ': ' + (r.same ? 'the same in both runs' : marked ? 'the first difference: ' + cmp.first.what : 'differs')));
      alignedDetail.appendChild(cols);
    }
    var aligned = null;
    var open = setupTabs(top, function (name) {
      if (name === 'aligned' && aligned) aligned.redraw();
      if (name === 'run-a' || name === 'run-b') {
        var idx = name === 'run-a' ? 0 : 1;
        if (!runPages[name]) runPages[name] = RunPage(top.querySelector('[data-pane="' + name + '"] section.run'), page.runs[idx]);
        else runPages[name].redraw();
      }
    });
    open('aligned');
    aligned = VirtualList(top.querySelector('[data-testid="aligned-list"]'), cmp.rows.length, function (i) {
      var r = cmp.rows[i];
      var first = cmp.first && cmp.first.row === i;
      var row = h('div', 'row aligned-row ' + (r.same ? 'same' : 'differs') + (first ? ' first-diff-row' : ''));
      if (first) row.setAttribute('data-testid', 'first-difference-row');
      row.appendChild(h('span', 'c-step', String(r.step)));
      row.appendChild(sideCell(A, r.a));
      row.appendChild(h('span', 'c-mark', r.same ? '=' : '\u2260'));
      row.appendChild(sideCell(B, r.b));
      return row;
    }, showRow);
    if (cmp.first && cmp.first.row !== null) aligned.select(cmp.first.row, true);
    var jump = document.querySelector('[data-testid="jump-to-difference"]');
    if (jump) jump.addEventListener('click', function () { open('aligned'); aligned.select(cmp.first.row, true); });
  }

  if (page.kind === 'single') RunPage(document.querySelector('section.run'), page.runs[0]);
  else comparePage();
  document.body.setAttribute('data-ready', 'true');
})();
`;

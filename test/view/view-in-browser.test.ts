import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliContext } from '../../src/cli/cli-context.ts';
import { runViewCommand } from '../../src/cli/commands/view-command.ts';
import type { TrajectoryEvent } from '../../src/trajectory/trajectory-events.ts';
import { verdictOf } from '../../src/view/summarize-execution.ts';
import { chromiumMissingReason, chromiumPath, chromiumRequired } from '../support/chromium-under-test.ts';
import { writeLongTrajectory } from '../support/long-trajectory.ts';
import {
  killedPrefix,
  REFINE_RUN,
  REPO_ROOT,
  readEvents,
  SHIPPED_TRAJECTORIES,
  withEditedPrompt,
} from './view-fixtures.ts';

/** Set to a folder (`docs`) to keep the screenshots there: how docs/viewer-*.png are made. */
const SCREENSHOTS = process.env.REFINERY_VIEW_SCREENSHOTS;
const dir = mkdtempSync(join(tmpdir(), 'refinery-view-browser-'));

if (!chromiumPath && chromiumRequired)
  it('Chromium is installed for the browser tests (.ci/run installs Debian chromium)', () => {
    throw new Error(chromiumMissingReason);
  });
if (!chromiumPath && !chromiumRequired) console.warn(chromiumMissingReason);

/** `refinery view ARGS... --out FILE` through the command itself; returns FILE. */
async function view(name: string, ...trajectories: string[]): Promise<string> {
  const out = join(dir, `${name}.html`);
  const lines: string[] = [];
  const ctx = createCliContext({
    stdout: { write: (t: string) => lines.push(t) },
    stderr: { write: (t: string) => lines.push(t) },
  });
  const args = trajectories.map((t) => (t.startsWith(REPO_ROOT) ? relative(process.cwd(), t) : t));
  expect(await runViewCommand([...args, '--out', out], ctx), lines.join('')).toBe(0);
  return out;
}

describe.skipIf(!chromiumPath)(`refinery view in headless Chromium (${chromiumPath})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath!, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a page and collects every console error or warning, uncaught error and request for anything but the file. */
  async function open(file: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (r.url() !== pathToFileURL(file).href) problems.push(`request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]');
    return { page, problems };
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const shot = await page.screenshot({ fullPage: true });
    expect(shot.subarray(1, 4).toString()).toBe('PNG');
    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    }
  }

  it.each(SHIPPED_TRAJECTORIES)(
    '%s: status, chart, timeline, calls with diffs, executions; no console errors',
    async (path) => {
      const events = readEvents(path);
      const final = events.at(-1) as Extract<TrajectoryEvent, { type: 'final' }>;
      const { page, problems } = await open(await view('single', path));

      expect(await page.textContent('[data-testid="final-status"]')).toBe(final.status);
      expect(await page.locator('[data-testid="truncated-banner"]').count()).toBe(0);
      expect(await page.locator('[data-testid="budget-chart"] g[data-budget]').count()).toBe(5);
      const nodes = events.filter((e) => e.type === 'node_enter');
      const timeline = page.locator('[data-list="timeline"] .vrow');
      expect(await timeline.count()).toBe(nodes.length);
      expect(await timeline.first().textContent()).toContain(nodes[0]!.type === 'node_enter' ? nodes[0]!.node : '');

      // The last call of an agent called before: its prompt, its reply, and the diff against that earlier call.
      const calls = events.filter((e) => e.type === 'model_call');
      const repeats = calls.map((c, i) => calls.findIndex((d) => d.request.agent === c.request.agent) < i);
      const repeat = repeats.lastIndexOf(true);
      await page.click('button[data-tab="calls"]');
      expect(await page.locator('[data-list="calls"] .vrow').count()).toBe(calls.length);
      await page.click(`[data-list="calls"] .vrow[data-index="${Math.max(repeat, 0)}"]`);
      const call = calls[Math.max(repeat, 0)]!;
      const lastMessage = call.request.messages.at(-1)!.content.trim().split('\n')[0]!;
      expect(await page.textContent('[data-testid="prompt"]')).toContain(lastMessage);
      expect(await page.textContent('[data-testid="reply"]')).toContain(call.reply.texts[0]!.trim().split('\n')[0]);
      if (repeat >= 0)
        expect(await page.locator('[data-testid="call-diff"] pre.diff span.add').count()).toBeGreaterThan(0);
      if (path === REFINE_RUN) await screenshot(page, 'viewer-run');

      const executions = events.filter((e) => e.type === 'execution');
      await page.click('button[data-tab="executions"]');
      expect(await page.locator('[data-list="executions"] .vrow').count()).toBe(executions.length);
      await page.click('[data-list="executions"] .vrow[data-index="0"]');
      expect(await page.textContent('[data-testid="execution-detail"] h3 .status')).toBe(
        verdictOf(executions[0]!.result),
      );
      expect(await page.locator('[data-testid="execution-detail"] pre.excerpt').count()).toBeGreaterThan(0);
      const timeout = (events[0] as { config: { execution?: { timeoutSec?: number } } }).config.execution?.timeoutSec;
      if (timeout !== undefined)
        expect(await page.textContent('[data-testid="limits"] tr.from-config')).toContain(
          `execution.timeoutSec${timeout}`,
        );

      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it("shows a truncated banner and the node it stopped in for a killed run's prefix", async () => {
    const events = readEvents(REFINE_RUN);
    const cut = events.findIndex((e) => e.type === 'node_enter' && e.node === 'execute') + 1;
    const { page, problems } = await open(
      await view('killed', killedPrefix(REFINE_RUN, join(dir, 'killed.jsonl'), cut)),
    );
    expect(await page.textContent('[data-testid="truncated-banner"]')).toMatch(/^truncated/);
    expect(await page.textContent('[data-testid="final-status"]')).toBe('no final event');
    const last = page.locator('[data-list="timeline"] .vrow').last();
    expect(await last.getAttribute('class')).toContain('unfinished');
    expect(await last.textContent()).toContain('did not return');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('side by side: the first difference of two prompt versions, with its diff, selected in the aligned steps', async () => {
    const edited = withEditedPrompt(REFINE_RUN, join(dir, 'refine-running-max-prompt-v2.jsonl'));
    const { page, problems } = await open(await view('compare', REFINE_RUN, edited.path));
    expect(await page.textContent('[data-testid="first-difference"] h2')).toContain(`at step ${edited.step}`);
    expect(await page.textContent('[data-testid="first-difference-what"]')).toContain(
      `model call ${edited.call} (agent '${edited.agent}')`,
    );
    const diff = page.locator('[data-testid="first-difference"] pre.diff');
    expect(await diff.locator('span.del').allTextContents()).toContain(`-${edited.removed}`);
    expect(await diff.locator('span.add').allTextContents()).toContain(`+${edited.added}`);

    const firstRow = page.locator('[data-testid="first-difference-row"]');
    expect(await firstRow.getAttribute('class')).toContain('selected');
    expect(await firstRow.locator('.c-step').textContent()).toBe(String(edited.step));
    // Only that step differs: the steps before it, and those after (same executions and results), are the same.
    const rows = page.locator('[data-testid="aligned-list"] .vrow');
    expect(await rows.count()).toBe(readEvents(REFINE_RUN).filter((e) => e.type === 'node_enter').length);
    expect(await page.locator('[data-testid="aligned-list"] .vrow.differs').count()).toBe(1);
    expect(await page.locator('[data-testid="aligned-detail"] [data-testid="marked-event"]').count()).toBe(2);

    await screenshot(page, 'viewer-compare');
    await page.click('button[data-tab="run-b"]');
    expect(await page.locator('[data-testid="run-1"] [data-list="timeline"] .vrow').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a 10,000-event trajectory: only the rows in view are in the page, and scrolling reaches the last event', async () => {
    const long = join(dir, 'long.jsonl');
    const count = writeLongTrajectory(long, 10_000);
    const { page, problems } = await open(await view('long', long));
    await page.click('button[data-tab="events"]');
    const list = page.locator('[data-list="events"]');
    expect(await list.locator('.vinner').evaluate((e) => e.getBoundingClientRect().height)).toBe(count * 24);
    expect(await list.locator('.vrow').count()).toBeLessThan(100);
    await list.evaluate((e) => {
      e.scrollTop = e.scrollHeight;
    });
    const last = list.locator(`.vrow[data-index="${count - 1}"]`);
    await last.waitFor();
    expect(await last.textContent()).toContain('final');
    expect(await list.locator('.vrow').count()).toBeLessThan(100);
    expect(problems).toEqual([]);
    await page.close();
  });
});

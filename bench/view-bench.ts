/**
 * `refinery view` of a 10,000-event trajectory (issue 19: under 2 s), against a baseline in the same run:
 *   - baseline: reading the trajectory (readTrajectory: every line parsed and checked against the zod schema),
 *               which any command on a trajectory pays, replay included;
 *   - view:     buildViewHtml + writing the page, what `refinery view` does after starting (in process);
 *   - cli:      `node bin/refinery.mjs view FILE --out PAGE` end to end (start-up through tsx included), against
 *               `node bin/refinery.mjs --help` as the start-up baseline.
 * Round-robin, RUNS times each after one warm-up, medians printed, with the page's size. Then, when Chromium is
 * here ($REFINERY_CHROMIUM or chromium on the PATH), the page in headless Chromium: time to the first drawn rows,
 * the rows in the document, and the longest gap between frames while the events list scrolls to the end in 60
 * frames (a stall shows there as a long gap). The trajectory is the shipped refine run's repair round repeated
 * (test/support/long-trajectory.ts), in a temp folder removed at the end.
 *
 *   npm run bench:view
 *   node --import tsx bench/view-bench.ts [--events N] [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readTrajectory } from '../src/trajectory/trajectory-reader.ts';
import { buildViewHtml } from '../src/view/build-view.ts';
import { chromiumPath } from '../test/support/chromium-under-test.ts';
import { writeLongTrajectory } from '../test/support/long-trajectory.ts';

const ROOT = resolve(import.meta.dirname, '..');
/** Scrolls the events list to its end in 60 frames; the longest gap between two frames, and what is drawn then. */
const SCROLL_SCRIPT = `new Promise((done) => {
  const list = document.querySelector('[data-list="events"]');
  const frames = 60;
  let frame = 0;
  let last = performance.now();
  let longest = 0;
  const step = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    list.scrollTop = ((frame + 1) / frames) * list.scrollHeight;
    frame += 1;
    if (frame <= frames) requestAnimationFrame(step);
    else {
      const rows = list.querySelectorAll('.vrow');
      done({ longestFrameMs: longest, rows: rows.length, lastShown: rows[rows.length - 1].textContent.includes('final') });
    }
  };
  requestAnimationFrame(step);
})`;

const { values } = parseArgs({
  options: { events: { type: 'string', default: '10000' }, runs: { type: 'string', default: '5' } },
});
const RUNS = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), 'refinery-view-bench-'));
try {
  const trajectory = join(dir, 'long.jsonl');
  const events = writeLongTrajectory(trajectory, Number(values.events));
  const page = join(dir, 'long.html');
  console.log(
    `refinery view bench: ${events} events, ${(statSync(trajectory).size / 1e6).toFixed(1)} MB of JSONL; ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${process.env.HOSTNAME ?? 'this machine'} (figures under load are not the product's)`,
  );

  const variants: { name: string; run: () => void }[] = [
    { name: 'baseline: readTrajectory', run: () => void readTrajectory(trajectory) },
    { name: 'view: buildViewHtml + write', run: () => writeFileSync(page, buildViewHtml([trajectory])) },
    { name: 'cli start-up baseline: refinery --help', run: () => cli(['--help']) },
    { name: 'cli: refinery view FILE --out PAGE', run: () => cli(['view', trajectory, '--out', page]) },
  ];
  const times = new Map(variants.map((v) => [v.name, [] as number[]]));
  for (let round = 0; round <= RUNS; round++)
    for (const variant of variants) {
      const started = performance.now();
      variant.run();
      if (round > 0) times.get(variant.name)!.push(performance.now() - started);
    }
  const median = (name: string) => {
    const sorted = [...times.get(name)!].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  for (const variant of variants)
    console.log(`  ${variant.name.padEnd(42)} ${(median(variant.name) / 1000).toFixed(3)} s median of ${RUNS}`);
  const read = median(variants[0]!.name);
  const view = median(variants[1]!.name);
  const help = median(variants[2]!.name);
  const cliView = median(variants[3]!.name);
  console.log(
    `  view in process: ${(view / 1000).toFixed(3)} s, ${(view / read).toFixed(2)}x reading the trajectory ` +
      `(${((view - read) / 1000).toFixed(3)} s beyond it); page ${(statSync(page).size / 1e6).toFixed(1)} MB`,
  );
  console.log(
    `  refinery view end to end: ${(cliView / 1000).toFixed(3)} s (target under 2 s), ${((cliView - help) / 1000).toFixed(3)} s beyond start-up`,
  );

  if (!chromiumPath) console.log('  browser: skipped, no Chromium here (apt-get install -y chromium)');
  else await inBrowser(page, events);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function cli(args: string[]): void {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin/refinery.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`refinery ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
}

async function inBrowser(page: string, events: number): Promise<void> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath!, headless: true });
  try {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const started = performance.now();
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForSelector('body[data-ready="true"] .vrow');
    const opened = performance.now() - started;
    await tab.click('button[data-tab="events"]');
    // A string, not a function: tsx would add helpers to a function's source that the page does not have.
    const scroll = (await tab.evaluate(SCROLL_SCRIPT)) as { longestFrameMs: number; rows: number; lastShown: boolean };
    console.log(
      `  browser (${chromiumPath}): page ready with rows drawn ${(opened / 1000).toFixed(3)} s after navigation; ` +
        `scrolling ${events} events to the end in 60 frames: longest frame ${scroll.longestFrameMs.toFixed(0)} ms, ` +
        `${scroll.rows} rows in the document, last event drawn: ${scroll.lastShown}`,
    );
  } finally {
    await browser.close();
  }
}

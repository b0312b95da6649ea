import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mokavPipeline } from '../../../graphs/mokav/index.ts';
import { main } from '../../../src/cli/main.ts';
import { closeSharedPythonWorkerPool } from '../../../src/execution/batch/index.ts';
import { createRefinery } from '../../../src/runtime/create-refinery.ts';
import { captureOutput as capture } from '../../support/capture-output.ts';

// `refinery difftest` on a repository the test builds: two commits, one behaviour change (a silver tier).
const refinery = createRefinery({ pipelines: [mokavPipeline] });
let scratch: string;
let repo: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'mokav-difftest-'));
  repo = join(scratch, 'repo');
  mkdirSync(join(repo, 'shop'), { recursive: true });
  git('init', '-q');
  git('config', 'user.email', 't@example.com');
  git('config', 'user.name', 't');
  writeFileSync(join(repo, 'shop/__init__.py'), '');
  writeFileSync(
    join(repo, 'shop/pricing.py'),
    'def discount(price, tier):\n    if tier == "gold":\n        return price * 90 // 100\n    return price\n',
  );
  git('add', '.');
  git('commit', '-qm', 'base');
  writeFileSync(
    join(repo, 'shop/pricing.py'),
    'def discount(price, tier):\n    if tier == "gold":\n        return price * 90 // 100\n' +
      '    if tier == "silver":\n        return price * 95 // 100\n    return price\n',
  );
  writeFileSync(join(repo, 'shop/extra.py'), 'def only_at_head():\n    return 1\n');
  git('add', '.');
  git('commit', '-qm', 'head: silver tier');
  // Recorded tester replies for round 0 (key MODULE:FUNCTION#ROUND): one agrees, one has no input, two differ.
  writeFileSync(
    join(scratch, 'replies.jsonl'),
    `${JSON.stringify({
      key: 'shop.pricing:discount#0',
      samples: [
        "{'inputdata': [100, 'gold']}",
        'no idea',
        "{'inputdata': [100, 'silver']}",
        "{'inputdata': [40, 'silver']}",
        'y',
      ],
    })}\n`,
  );
});
afterAll(async () => {
  await closeSharedPythonWorkerPool();
  rmSync(scratch, { recursive: true, force: true });
});

/** The repository as the user sees it: status, worktrees, branches. */
const repoState = () => [git('status', '--porcelain'), git('worktree', 'list', '--porcelain'), git('branch')].join('|');

/** Runs the test file against a commit's tree (git archive into a fresh directory); returns the exit status. */
function runAt(commit: string, testFile: string): number | null {
  const tree = mkdtempSync(join(scratch, 'tree-'));
  execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C ${tree}`], { cwd: repo });
  return spawnSync('python3', [testFile], { env: { PATH: process.env.PATH, PYTHONPATH: tree }, stdio: 'ignore' })
    .status;
}

describe('refinery difftest', () => {
  it('finds the DET between the commits with a recorded tester and writes a test that passes on head and fails on base', async () => {
    const before = repoState();
    const out = join(scratch, 'out');
    const { code, stdout } = await capture(() =>
      main(
        [
          'difftest',
          '--repo',
          repo,
          '--base',
          'HEAD~1',
          '--head',
          'HEAD',
          '--entry',
          'shop.pricing:discount',
          '--example',
          "[100, 'gold']",
          '--replies',
          join(scratch, 'replies.jsonl'),
          '--out',
          out,
          '--json',
        ],
        refinery,
      ),
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.det).toMatchObject({ round: 1, sample: 2, input: [100, 'silver'] });
    expect(report.det.patchedOutput.repr).toBe('95');
    expect(report.det.originalOutput.repr).toBe('100');
    // Each DET of the round is its own test file.
    expect(readdirSync(out).sort()).toEqual(['test_difftest_discount.py', 'test_difftest_discount_2.py']);
    expect(readFileSync(join(out, 'test_difftest_discount_2.py'), 'utf8')).toContain(
      "assert discount(40, 'silver') == 38",
    );
    const testFile = join(out, 'test_difftest_discount.py');
    expect(readFileSync(testFile, 'utf8')).toContain("assert discount(100, 'silver') == 95");
    expect(runAt(git('rev-parse', 'HEAD'), testFile)).toBe(0);
    expect(runAt(git('rev-parse', 'HEAD~1'), testFile)).toBe(1);
    // The user's tree, worktrees and branches are as they were.
    expect(repoState()).toBe(before);
  });

  it('an entry point that does not exist at one revision exits 2 naming it; nothing is left in the repository', async () => {
    const before = repoState();
    const { code, stderr } = await capture(() =>
      main(
        ['difftest', '--repo', repo, '--base', 'HEAD~1', '--head', 'HEAD', '--entry', 'shop.extra:only_at_head'],
        refinery,
      ),
    );
    expect(code).toBe(2);
    expect(stderr).toContain('--entry: shop.extra:only_at_head: does not load at --base HEAD~1');
    expect(repoState()).toBe(before);
  });

  it('a revision that is not a commit, or an entry without a function, exits 2 naming the flag', async () => {
    const bad = await capture(() =>
      main(
        ['difftest', '--repo', repo, '--base', 'nope', '--head', 'HEAD', '--entry', 'shop.pricing:discount'],
        refinery,
      ),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--base: nope: not a commit');
    const entry = await capture(() =>
      main(['difftest', '--repo', repo, '--base', 'HEAD~1', '--head', 'HEAD', '--entry', 'shop.pricing'], refinery),
    );
    expect(entry.code).toBe(2);
    expect(entry.stderr).toContain('expected MODULE:FUNCTION');
  });
});

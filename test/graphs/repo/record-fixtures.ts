/**
 * Regenerates fixtures/repo/*.jsonl: builds each fixture repository (deterministically), runs the repo
 * pipeline on it through Refinery's real openai-compatible provider against a loopback OpenAI-wire server
 * that answers with the scripted replies in support/repo-fixtures.ts, and writes the trajectory.
 *
 *   node --import tsx test/graphs/repo/record-fixtures.ts              # record every fixture
 *   node --import tsx test/graphs/repo/record-fixtures.ts --build-only # only (re)build the repositories
 *
 * Repositories are built under /tmp/refinery-fixture-repos/<name>, the path recorded in the trajectories,
 * so `refinery replay fixtures/repo/<name>.jsonl` works after a `--build-only`.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startOpenAiWireServer } from '../../../src/testing/wire-servers/openai-wire-server.ts';
import { shippedRefinery } from '../../support/shipped-refinery.ts';
import { agentOf, REPO_FIXTURES, type RepoFixture } from './support/repo-fixtures.ts';

export const FIXTURE_REPOS_DIR = '/tmp/refinery-fixture-repos';
const PROJECT_ROOT = resolve(import.meta.dirname, '../../..');

export function fixtureRepoPath(fixture: RepoFixture): string {
  return join(FIXTURE_REPOS_DIR, fixture.name);
}

export function rebuildFixtureRepo(fixture: RepoFixture): string {
  const dir = fixtureRepoPath(fixture);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(FIXTURE_REPOS_DIR, { recursive: true });
  fixture.build(dir);
  return dir;
}

async function record(fixture: RepoFixture): Promise<void> {
  const repo = rebuildFixtureRepo(fixture);
  const queues = Object.fromEntries(Object.entries(fixture.replies).map(([agent, texts]) => [agent, [...texts]]));
  const server = await startOpenAiWireServer({
    respond: (body: { messages: Array<{ role: string; content: string }> }) => {
      const agent = agentOf(body.messages);
      const text = queues[agent]?.shift();
      if (text === undefined) throw new Error(`scripted model: no reply left for ${agent}`);
      return { text, usage: { inputTokens: 400, outputTokens: 60 } };
    },
  });
  const trajectoryPath = `fixtures/repo/${fixture.name}.jsonl`;
  rmSync(join(PROJECT_ROOT, trajectoryPath), { force: true });
  try {
    const result = await shippedRefinery.run({
      configPath: 'configs/repo.yaml',
      cwd: PROJECT_ROOT,
      set: [
        'models.default.provider=openai-compatible',
        `models.default.baseUrl=${server.baseUrl}`,
        'models.default.apiKey=wire-key',
      ],
      taskFlags: { repo, task: fixture.task, testCmd: fixture.testCmd },
      trajectoryPath,
      runId: `fixture-${fixture.name}`,
    });
    const leftover = Object.entries(queues)
      .filter(([, q]) => q.length > 0)
      .map(([a, q]) => `${a}: ${q.length}`);
    process.stdout.write(`${fixture.name}: ${result.status}\n${result.summary}\n`);
    if (result.status !== 'passed')
      throw new Error(
        `${fixture.name}: expected status passed, got ${result.status}: ${result.error?.stack ?? result.summary}`,
      );
    if (leftover.length) throw new Error(`${fixture.name}: scripted replies not used: ${leftover.join(', ')}`);
  } finally {
    await server.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const buildOnly = process.argv.includes('--build-only');
  for (const fixture of REPO_FIXTURES) {
    if (buildOnly) process.stdout.write(`built ${rebuildFixtureRepo(fixture)}\n`);
    else await record(fixture);
  }
  if (!buildOnly && !existsSync(join(PROJECT_ROOT, 'fixtures/repo'))) throw new Error('fixtures/repo was not written');
}

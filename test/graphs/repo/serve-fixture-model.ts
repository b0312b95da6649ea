/**
 * A loopback OpenAI-wire model that answers with a fixture's scripted replies, for trying the repo pipeline
 * from the command line without a real model:
 *
 *   node --import tsx test/graphs/repo/serve-fixture-model.ts python-stats   # prints the base URL, runs until killed
 *   refinery run configs/repo.yaml --repo /tmp/refinery-fixture-repos/python-stats \
 *     --task "..." --test-cmd "python3 -m unittest discover -s tests -t ." \
 *     --set models.default.provider=openai-compatible --set models.default.baseUrl=<URL> --set models.default.apiKey=x
 */
import { startOpenAiWireServer } from '../../../src/testing/wire-servers/openai-wire-server.ts';
import { rebuildFixtureRepo } from './record-fixtures.ts';
import { agentOf, REPO_FIXTURES } from './support/repo-fixtures.ts';

const fixture = REPO_FIXTURES.find((f) => f.name === process.argv[2]);
if (!fixture) {
  process.stderr.write(`usage: serve-fixture-model.ts ${REPO_FIXTURES.map((f) => f.name).join('|')}\n`);
  process.exit(2);
}
const repo = rebuildFixtureRepo(fixture);
const queues = Object.fromEntries(Object.entries(fixture.replies).map(([agent, texts]) => [agent, [...texts]]));
const server = await startOpenAiWireServer({
  respond: (body: { messages: Array<{ role: string; content: string }> }) => {
    const agent = agentOf(body.messages);
    return { text: queues[agent]?.shift() ?? 'NO REPLY LEFT', usage: { inputTokens: 400, outputTokens: 60 } };
  },
});
process.stdout.write(
  `${JSON.stringify({ baseUrl: server.baseUrl, repo, task: fixture.task, testCmd: fixture.testCmd })}\n`,
);

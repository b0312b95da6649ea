import { resolve } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE = resolve(REPO_ROOT, 'fixtures/import-rules');

/** The repository's rules, run by dependency-cruiser's API on a tree, as `npm run lint:imports` runs them. */
async function violationsIn(baseDir: string, folders: string[]): Promise<string[]> {
  const options = await extractDepcruiseOptions(resolve(REPO_ROOT, '.dependency-cruiser.cjs'));
  const { output } = await cruise(folders, { ...options, baseDir });
  const result = output as ICruiseResult;
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe('import rules (.dependency-cruiser.cjs)', () => {
  it('reports each violation in the fixture tree, and nothing it allows', async () => {
    const violations = await violationsIn(FIXTURE, ['src', 'agents', 'graphs', 'test']);
    expect(violations).toEqual(
      [
        'src-knows-no-pipeline: src/spine.ts -> graphs/alpha/alpha-graph.ts',
        'techniques-do-no-io: src/techniques/spawn-checker.ts -> child_process',
        // through src/io/read-lines.ts
        'techniques-do-no-io: src/techniques/load-problems.ts -> fs',
        'agents-know-no-graph: agents/alpha-coder/parse-reply.ts -> graphs/alpha/alpha-state.ts',
        'no-graph-imports-another: graphs/alpha/alpha-graph.ts -> graphs/beta/beta-graph.ts',
        'registry-imports-pipeline-entries: graphs/index.ts -> graphs/beta/beta-graph.ts',
        // one import of the pair is type-only: type cycles count
        'no-circular: src/cycle-first.ts -> src/cycle-second.ts',
        'production-imports-no-tests: src/uses-test-helper.ts -> test/helper.ts',
        'not-to-unresolvable: src/broken-import.ts -> ./moved-away.ts',
      ].sort(),
    );
  });

  it('names every rule of the config in the fixture, so a new rule needs a fixture violation too', async () => {
    const options = await extractDepcruiseOptions(resolve(REPO_ROOT, '.dependency-cruiser.cjs'));
    const ruleNames = (options.ruleSet?.forbidden ?? []).map((rule) => rule.name).sort();
    const violated = new Set(
      (await violationsIn(FIXTURE, ['src', 'agents', 'graphs', 'test'])).map((v) => v.split(':')[0]),
    );
    expect(ruleNames).toEqual([...violated].sort());
  });
});

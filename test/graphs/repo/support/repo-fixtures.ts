import {
  buildJavascriptFixtureRepo,
  buildPythonFixtureRepo,
  JAVASCRIPT_TEST_CMD,
  PYTHON_TEST_CMD,
} from '../../../support/fixture-repos.ts';

/** A fixture repository, the task given to Refinery, and the scripted model replies it was recorded with. */
export interface RepoFixture {
  name: string;
  build(dir: string): string;
  task: string;
  testCmd: string;
  /** Files the tests make dirty in the user's tree before the run. */
  dirty: { unstaged: string; staged: string };
  /** The file the accepted commit must change. */
  fixedFile: string;
  replies: Record<'planner' | 'tester' | 'coder' | 'critic', string[]>;
}

export const PYTHON_FIXTURE: RepoFixture = {
  name: 'python-stats',
  build: buildPythonFixtureRepo,
  task: 'Fix stats.mean: the mean of [1, 2, 3, 4] must be 2.5. Keep median unchanged.',
  testCmd: PYTHON_TEST_CMD,
  dirty: { unstaged: 'stats/core.py', staged: 'README.md' },
  fixedFile: 'stats/core.py',
  replies: {
    planner: [
      [
        'PLAN:',
        '1. `mean` in stats/core.py divides by `len(values) - 1`; the arithmetic mean divides by `len(values)`.',
        '2. Add a test for a one-element list, which the current code cannot handle (division by zero).',
        '',
        'FILES:',
        '- stats/core.py',
        '- tests/test_core.py',
      ].join('\n'),
    ],
    tester: [
      [
        'A one-element list pins down the divisor:',
        '',
        'tests/test_core.py',
        '```python',
        '<<<<<<< SEARCH',
        '    def test_median(self):',
        '=======',
        '    def test_mean_of_one_value(self):',
        '        self.assertEqual(mean([7]), 7)',
        '',
        '    def test_median(self):',
        '>>>>>>> REPLACE',
        '```',
      ].join('\n'),
    ],
    coder: [
      // First attempt: the SEARCH text is not copied exactly (spacing), so it must be refused, not guessed.
      [
        'stats/core.py',
        '```python',
        '<<<<<<< SEARCH',
        '    return sum(values)/(len(values)-1)',
        '=======',
        '    return sum(values) / len(values)',
        '>>>>>>> REPLACE',
        '```',
      ].join('\n'),
      [
        'stats/core.py',
        '```python',
        '<<<<<<< SEARCH',
        '    return sum(values) / (len(values) - 1)',
        '=======',
        '    return sum(values) / len(values)',
        '>>>>>>> REPLACE',
        '```',
      ].join('\n'),
    ],
    critic: [
      'The edit to stats/core.py was not applied: its SEARCH line does not match line 3 exactly (the file has spaces ' +
        'around `/` and `-`). Copy line 3 as shown in the closest match and replace it with `return sum(values) / len(values)`.',
    ],
  },
};

export const JAVASCRIPT_FIXTURE: RepoFixture = {
  name: 'javascript-slug',
  build: buildJavascriptFixtureRepo,
  task: 'slugify must return lower-case slugs: slugify("  Hello World! ") is "hello-world".',
  testCmd: JAVASCRIPT_TEST_CMD,
  dirty: { unstaged: 'src/slugify.js', staged: 'package.json' },
  fixedFile: 'src/slugify.js',
  replies: {
    planner: [
      'PLAN:\n1. Lower-case the text in slugify before replacing separators.\n\nFILES:\n- src/slugify.js\n- test/slugify.test.js',
    ],
    tester: ['NO NEW TESTS'],
    coder: [
      [
        'src/slugify.js',
        '```js',
        '<<<<<<< SEARCH',
        '    .trim()',
        '=======',
        '    .trim()',
        '    .toLowerCase()',
        '>>>>>>> REPLACE',
        '```',
      ].join('\n'),
    ],
    critic: [],
  },
};

export const REPO_FIXTURES = [PYTHON_FIXTURE, JAVASCRIPT_FIXTURE];

/** Which agent sent a chat request, from its system prompt. */
export function agentOf(messages: Array<{ role: string; content: string }>): 'planner' | 'tester' | 'coder' | 'critic' {
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const match = /You are the (planner|tester|coder|critic)\b/.exec(system);
  if (!match) throw new Error(`scripted model: cannot tell the agent from the system prompt: ${system.slice(0, 80)}`);
  return match[1] as 'planner' | 'tester' | 'coder' | 'critic';
}

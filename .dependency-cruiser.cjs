/**
 * The import rules of Refinery's layering (docs/architecture.md; issue 13), checked by
 * `npm run lint:imports`, which `npm test` runs. Every rule says why it exists; the test
 * test/architecture/import-rules.test.ts runs these rules on fixtures/import-rules/, a small tree with one
 * violation of each, and asserts each is reported.
 *
 * Paths are relative to the directory the cruise runs from (the repository root, or a fixture tree).
 * Type-only imports count everywhere (`tsPreCompilationDeps: true`): a type import still ties one layer to
 * another's shapes, and a type cycle is a tangle a reader has to untie even though it costs nothing at run time.
 */

/** Node built-ins that start processes, touch the file system or the network, or read the host. */
const IO_CORE_MODULES = [
  'child_process',
  'cluster',
  'dgram',
  'dns',
  'fs',
  'http',
  'http2',
  'https',
  'inspector',
  'module',
  'net',
  'os',
  'process',
  'readline',
  'repl',
  'tls',
  'tty',
  'worker_threads',
];
/** `fs`, `node:fs`, `fs/promises`, `node:fs/promises`, ... (no nested quantifiers: dependency-cruiser refuses unsafe regexes) */
const IO_CORE_MODULE_PATH = `^(node:)?(${IO_CORE_MODULES.join('|')})(/promises)?$`;
/** Packages that run processes or git for us. */
const IO_PACKAGE_PATH = 'node_modules/(execa|simple-git|node-pty)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'src-knows-no-pipeline',
      comment:
        'src/ is the spine shared by every pipeline: it must not know any of them. Pipelines reach the spine ' +
        'through the registry and the pipeline definition, never the other way round.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(graphs|agents)/' },
    },
    {
      name: 'techniques-do-no-io',
      comment:
        'src/techniques/ is pure (scoring, ranking, parsing): no processes, no files, no network, no host. ' +
        'Anything that runs or reads belongs in src/execution/ (or a loader its caller owns), so techniques ' +
        'stay testable and replayable without side effects. Checked through other files too (`reachable`): a ' +
        'technique that imports a helper which reads files touches the file system just the same. Type-only ' +
        'imports count: pure code takes its types from pure files (the *-types.ts ones).',
      severity: 'error',
      from: { path: '^src/techniques/' },
      to: { path: [IO_CORE_MODULE_PATH, IO_PACKAGE_PATH], reachable: true },
    },
    {
      name: 'agents-know-no-graph',
      comment:
        'agents/ are prompts plus reply parsers that take explicit inputs; the graph that calls them owns ' +
        'state and loop control. An agent importing a graph file ties it to one pipeline and invites cycles.',
      severity: 'error',
      from: { path: '^agents/' },
      to: { path: '^graphs/' },
    },
    {
      name: 'no-graph-imports-another',
      comment:
        'Each pipeline in graphs/<name>/ wires agents, the engine and budget checks; what two pipelines share ' +
        'belongs in src/ (or an agent), so that a pipeline can be added or removed without touching another.',
      severity: 'error',
      from: { path: '^graphs/([^/]+)/' },
      to: { path: '^graphs/', pathNot: '^graphs/$1/' },
    },
    {
      name: 'registry-imports-pipeline-entries',
      comment:
        'graphs/index.ts is the list of shipped pipelines: it may import each pipeline’s index.ts and nothing ' +
        'deeper, so a pipeline’s internals stay its own.',
      severity: 'error',
      from: { path: '^graphs/index\\.ts$' },
      to: { path: '^graphs/[^/]+/', pathNot: '^graphs/[^/]+/index\\.ts$' },
    },
    {
      name: 'no-circular',
      comment:
        'Import cycles make load order matter and layers impossible to read one at a time. Type-only imports ' +
        'count too: a type cycle is the same tangle of responsibilities, only cheaper at run time.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'production-imports-no-tests',
      comment:
        'Code that ships (src/, agents/, graphs/) must not depend on test files: tests change freely and are ' +
        'not part of the package. Shared test helpers that ship live in src/testing/.',
      severity: 'error',
      from: { path: '^(src|agents|graphs)/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'An import that resolves to no file is a typo or a file moved without its importers: the rules above cannot see through it.',
      severity: 'error',
      // bin/refinery.mjs imports the build (dist/) only when installed; a checkout has no dist/ until a build.
      from: { pathNot: '^bin/refinery\\.mjs$' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    moduleSystems: ['es6'],
    enhancedResolveOptions: {
      extensions: ['.ts', '.mjs', '.js', '.json'],
      exportsFields: ['exports'],
      // `refinery-source` first: the package's own exports resolve to the TypeScript sources, as tsc and vitest
      // resolve them in a checkout (dist/ exists only after a build).
      conditionNames: ['refinery-source', 'import', 'node', 'default'],
    },
  },
};

/** What a path is, by its name alone: a test, source code, or something else (docs, data, config). */
const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'testing', 'e2e']);
const TEST_FILE = /^(test_.*|.*_tests?\.[^.]+|.*\.(test|spec)\.[^.]+|conftest\.py|.*Tests?\.(java|kt|cs|swift))$/;

export function isTestPath(path: string): boolean {
  const segments = path.split('/');
  const base = segments.pop() ?? '';
  return TEST_FILE.test(base) || segments.some((s) => TEST_DIRS.has(s.toLowerCase()));
}

const CODE_EXTENSIONS = new Set(
  (
    'py pyi pyx js mjs cjs jsx ts mts cts tsx vue svelte java kt kts scala go rs c h cc cpp cxx hh hpp hxx cs fs ' +
    'rb php swift m mm lua pl pm r jl ex exs erl hrl hs ml mli clj cljs dart sh bash zsh sql zig nim groovy'
  ).split(' '),
);

export function isCodePath(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && CODE_EXTENSIONS.has(base.slice(dot + 1).toLowerCase());
}

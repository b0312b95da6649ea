import { parsePythonError } from '../verdict/python-error.ts';
import type { LanguageProgram } from './language-program.ts';

export const pythonProgram: LanguageProgram = {
  sourceFile: () => 'main.py',
  // -B: no __pycache__ in the working directory. No -I: it would drop the script's directory from sys.path,
  // and a test file must be able to import a solution written next to it.
  build: async ({ toolchain, request }) => ({
    kind: 'ready',
    argv: [toolchain.tools.python3 ?? 'python3', '-B', 'main.py', ...(request.args ?? [])],
  }),
  explainFailure: parsePythonError,
};

import type { ExecutionRequest } from '../execution-types.ts';
import { parseNodeError } from '../verdict/node-error.ts';
import type { LanguageProgram } from './language-program.ts';

/** Sources using top-level `import`/`export` run as ES modules, everything else as CommonJS. */
function mainFile(request: ExecutionRequest): string {
  return /^\s*(import\s*[\w{*'"]|export\s)/m.test(request.source) ? 'main.mjs' : 'main.js';
}

export const javascriptProgram: LanguageProgram = {
  sourceFile: mainFile,
  build: async ({ toolchain, request }) => ({
    kind: 'ready',
    argv: [toolchain.tools.node ?? 'node', mainFile(request), ...(request.args ?? [])],
  }),
  explainFailure: parseNodeError,
};

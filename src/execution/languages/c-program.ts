import { parseCAssertion } from '../verdict/c-assertion.ts';
import { parseGccDiagnostics } from '../verdict/compile-diagnostics.ts';
import { mentionsOutOfMemory } from '../verdict/runtime-finding.ts';
import type { LanguageProgram } from './language-program.ts';

export const cProgram: LanguageProgram = {
  sourceFile: () => 'main.c',
  async build({ toolchain, request, compile }) {
    const extraSources = Object.keys(request.files ?? {}).filter((f) => f.endsWith('.c') && f !== 'main.c');
    const outcome = await compile([
      toolchain.tools.gcc ?? 'gcc',
      '-fdiagnostics-format=json',
      '-std=gnu17',
      '-O2',
      '-o',
      'main',
      'main.c',
      ...extraSources,
      '-lm',
    ]);
    if (outcome.exitCode !== 0 || outcome.timedOut) {
      const diagnostics = parseGccDiagnostics(outcome.stderr);
      if (outcome.timedOut) diagnostics.push({ level: 'error', message: 'gcc exceeded the compile time limit' });
      return { kind: 'compile_error', diagnostics, outcome };
    }
    return { kind: 'ready', argv: ['./main', ...(request.args ?? [])] };
  },
  explainFailure(stderr) {
    const assertion = parseCAssertion(stderr);
    if (assertion) return assertion;
    if (mentionsOutOfMemory(stderr))
      return { verdict: 'memory', error: { type: 'OutOfMemory', message: stderr.trim().split('\n').pop() ?? '' } };
    return undefined;
  },
};

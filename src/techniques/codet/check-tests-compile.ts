import { spawn } from 'node:child_process';
import { testInTryBlock } from './extract-tests.ts';
import { TestCompileCheckError } from './test-compile-check-error.ts';

// Reads a JSON list of sources on stdin, prints a JSON list of booleans: does each compile as a module.
// `except Exception` on purpose: it is the reference's rule (SyntaxError, ValueError on NUL bytes, RecursionError).
const CHECKER = `
import json, sys, warnings
warnings.simplefilter('ignore')
sources = json.loads(sys.stdin.buffer.read().decode('utf-8', 'surrogatepass'))
out = []
for source in sources:
    try:
        compile(source, '', 'exec')
        out.append(True)
    except Exception:
        out.append(False)
sys.stdout.write(json.dumps(out))
`;

export interface CheckTestsCompileOptions {
  /** Python interpreter; default `python3`. Use the same one that runs the tests. */
  python?: string;
}

/**
 * Returns the subset of `tests` that compile inside an indented `try:`/`except:` block (the last rule of test
 * extraction). One python3 process checks the whole list; duplicates are checked once.
 */
export async function checkTestsCompile(
  tests: Iterable<string>,
  options: CheckTestsCompileOptions = {},
): Promise<Set<string>> {
  const distinct = [...new Set(tests)];
  if (distinct.length === 0) return new Set();
  const python = options.python ?? 'python3';
  const verdicts = await runChecker(python, distinct.map(testInTryBlock));
  if (verdicts.length !== distinct.length) {
    throw new TestCompileCheckError(python, `expected ${distinct.length} verdicts, got ${verdicts.length}`);
  }
  return new Set(distinct.filter((_, i) => verdicts[i] === true));
}

function runChecker(python: string, sources: string[]): Promise<boolean[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-I', '-c', CHECKER], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => reject(new TestCompileCheckError(python, error.message)));
    child.on('close', (code) => {
      if (code !== 0) {
        const detail = Buffer.concat(stderr).toString('utf8').slice(-2000);
        reject(new TestCompileCheckError(python, `exited with code ${code}: ${detail}`));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(stdout).toString('utf8')) as boolean[]);
      } catch (error) {
        reject(new TestCompileCheckError(python, `unreadable output: ${(error as Error).message}`));
      }
    });
    child.stdin.on('error', () => undefined); // a crash is reported through 'close'
    child.stdin.end(JSON.stringify(sources));
  });
}

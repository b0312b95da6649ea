import type { Language } from '../execution-types.ts';
import { cProgram } from './c-program.ts';
import { javascriptProgram } from './javascript-program.ts';
import type { LanguageProgram } from './language-program.ts';
import { pythonProgram } from './python-program.ts';
import { rustProgram } from './rust-program.ts';

export const LANGUAGE_PROGRAMS: Record<Language, LanguageProgram> = {
  python: pythonProgram,
  javascript: javascriptProgram,
  c: cProgram,
  rust: rustProgram,
};

import { createParser } from '../../parsing/tree-sitter-grammars.ts';
import { type CProgramFacts, extractCProgramFacts } from '../../techniques/c2rust/c-program-facts.ts';
import {
  buildCallGraph,
  type CallGraph,
  pruneCallGraph,
  reachableFunctions,
} from '../../techniques/c2rust/call-graph.ts';
import {
  classifyMacros,
  type MacroDefinition,
  rewriteIntegerConstants,
} from '../../techniques/c2rust/macro-normalization.ts';
import { primitiveGlobals, type RuleGlobal } from '../../techniques/c2rust/primitive-globals.ts';
import { orderTranslationUnits, type TranslationUnit } from '../../techniques/c2rust/translation-units.ts';
import type { C2RustWorkbench } from './c2rust-workbench.ts';
import { preprocessC } from './preprocess-c.ts';

/** The deterministic analysis of a C program (§4 stages 2–5), JSON-friendly so a trajectory can record it. */
export type CAnalysis =
  | {
      status: 'ok';
      /** The preprocessed user code (system headers dropped). */
      preprocessed: string;
      facts: CProgramFacts;
      /** The whole graph (every defined function) and the one pruned to what `main` reaches. */
      graph: CallGraph;
      pruned: CallGraph;
      /** Reachable from main through direct calls only (the reference call graphs' convention). */
      reachableDirect: string[];
      units: TranslationUnit[];
      ruleGlobals: RuleGlobal[];
      /** Every `#define` of main.c, classified (§4 stage 1). */
      macros: MacroDefinition[];
      /** The sources the analysis read: main.c with its integer constants as enumerators when that preprocesses. */
      files: Record<string, string>;
    }
  | { status: 'preprocess-failed'; message: string }
  | { status: 'no-main'; message: string; preprocessed: string };

/** Preprocess, parse with tree-sitter-c, build the call graph, prune to `main`, order the SCC units. */
export async function analyzeCProgram(
  bench: C2RustWorkbench,
  files: Record<string, string>,
  signal?: AbortSignal,
): Promise<CAnalysis> {
  const macros = classifyMacros(files['main.c'] ?? '');
  const rewritten = { ...files, 'main.c': rewriteIntegerConstants(files['main.c'] ?? '', macros) };
  if (rewritten['main.c'] !== files['main.c']) {
    // Constants by rule, then the C is preprocessed again; the oracle (check_c) rebuilds and re-tests it.
    const pre = await preprocessC(bench, rewritten, [], signal);
    if (pre.ok) return analyzePreprocessed(pre.text, { macros, files: rewritten });
  }
  const pre = await preprocessC(bench, files, [], signal);
  if (!pre.ok) return { status: 'preprocess-failed', message: `gcc -E failed: ${pre.message}` };
  return analyzePreprocessed(pre.text, { macros, files });
}

/** The analysis of already-preprocessed C (the part without processes). */
export async function analyzePreprocessed(
  preprocessed: string,
  source: { macros: MacroDefinition[]; files: Record<string, string> } = { macros: [], files: {} },
): Promise<CAnalysis> {
  const parser = await createParser('c');
  const tree = parser.parse(preprocessed);
  if (!tree) return { status: 'preprocess-failed', message: 'tree-sitter-c could not parse the preprocessed file' };
  let facts: CProgramFacts;
  try {
    facts = extractCProgramFacts(tree.rootNode);
  } finally {
    tree.delete();
    parser.delete();
  }
  const graph = buildCallGraph(facts);
  if (!graph.calls.main)
    return {
      status: 'no-main',
      message: `the program defines no main function (functions: ${graph.functions.join(', ') || 'none'})`,
      preprocessed,
    };
  const pruned = pruneCallGraph(graph, reachableFunctions(graph, ['main']));
  const typedefs = new Map(
    facts.types.filter((t) => t.kind === 'typedef' && t.primitive).map((t) => [t.name, typedefTarget(t.text, t.name)]),
  );
  const reached = new Set(pruned.functions);
  return {
    status: 'ok',
    preprocessed,
    facts,
    graph,
    pruned,
    reachableDirect: reachableFunctions(graph, ['main'], { directOnly: true }),
    units: orderTranslationUnits(pruned),
    macros: source.macros,
    files: source.files,
    ruleGlobals: primitiveGlobals(
      facts.globals.filter((g) =>
        pruned.functions.some((f) => reached.has(f) && pruned.globalUses[f]?.includes(g.name)),
      ),
      typedefs,
    ),
  };
}

/** `typedef long long ll;` → `long long`. */
function typedefTarget(text: string, name: string): string {
  return text
    .replace(/^\s*typedef\s+/, '')
    .replace(new RegExp(`\\b${name}\\s*;\\s*$`), '')
    .trim();
}

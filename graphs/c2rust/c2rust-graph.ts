import { END, START, StateGraph } from '@langchain/langgraph';
import { parseRustReply } from '../../agents/c2rust-coder/parse-rust-reply.ts';
import { RefineryError } from '../../src/errors/refinery-error.ts';
import { analyzeCProgram, type CAnalysis } from '../../src/execution/c2rust/analyze-c-program.ts';
import { buildRustCrate, crateFiles } from '../../src/execution/c2rust/build-rust-crate.ts';
import { sharedWorkbench, workbenchCacheDir } from '../../src/execution/c2rust/c2rust-workbench.ts';
import { checkCOracle } from '../../src/execution/c2rust/check-c-oracle.ts';
import { runDifferentialTests } from '../../src/execution/c2rust/differential-tests.ts';
import { defaultLimits, mergeLimits } from '../../src/execution/execution-limits.ts';
import type { ExecutionLimits } from '../../src/execution/execution-types.ts';
import { callAgent } from '../../src/runtime/call-agent.ts';
import { instrumentNode } from '../../src/runtime/instrument-node.ts';
import type { RunContext } from '../../src/runtime/run-context.ts';
import { compileFeedback, mismatchFeedback } from '../../src/techniques/c2rust/c2rust-feedback.ts';
import { rustConstants } from '../../src/techniques/c2rust/macro-normalization.ts';
import { globalsModule } from '../../src/techniques/c2rust/primitive-globals.ts';
import { assembleRustSource, type RustItem } from '../../src/techniques/c2rust/rust-items.ts';
import { unitContext } from '../../src/techniques/c2rust/unit-context.ts';
import type { C2RustOptions, C2RustTask } from './c2rust-schemas.ts';
import { C2RustState, type C2RustStateValue, type CratePiece } from './c2rust-state.ts';
import { parseRustItems } from './rust-syntax.ts';

type Ctx = RunContext<C2RustTask, C2RustOptions>;

const NONE = '(none)';

/**
 * analyze (gcc -E, tree-sitter-c, SCC units) → check_c (-O0/-O2/sanitizers agree) → planner (next unit and its
 * context) → coder → build (cargo, JSON diagnostics) → [critic → coder]* → ... → test (differential against
 * the C binary) → [critic → coder → build → test]* → END.
 */
export function buildC2RustGraph(ctx: Ctx) {
  const { task, options } = ctx;
  const bench = () =>
    sharedWorkbench({
      sandbox: ctx.config.execution.sandbox,
      cacheDir: workbenchCacheDir(ctx.config.execution, ctx.baseDir),
    });
  const limits: ExecutionLimits = mergeLimits(defaultLimits, {
    wallMs: Math.round(options.runTimeoutSec * 1000),
    memoryMb: ctx.config.execution.memoryMb,
    outputBytes: ctx.config.execution.outputBytes,
  });
  const tests = task.tests.length > 0 ? task.tests : [{ stdin: '' }];

  const analyze = instrumentNode(ctx, 'analyze', async () => {
    const analysis: CAnalysis = await ctx.recordedStep('c2rust-analysis', { files: task.files }, () =>
      analyzeCProgram(bench(), task.files, ctx.signal),
    );
    if (analysis.status === 'no-main') return { analysis, outcome: 'no-main' as const, message: analysis.message };
    if (analysis.status === 'preprocess-failed') {
      if (options.units !== 'program')
        return { analysis, outcome: 'c-preprocess-failed' as const, message: analysis.message };
      // A whole-program translation needs no unit order: translate the raw source; there is no oracle to test against.
      return { analysis, pieces: [piece('the whole program', 1, [])], message: `${analysis.message}; no C oracle` };
    }
    const pieces =
      options.units === 'program'
        ? [piece('the whole program', 1, analysis.pruned.functions)]
        : analysis.units.map((u) => piece(`unit ${u.index}: ${u.functions.join(', ')}`, u.index, u.functions));
    ctx.trajectory.write({
      type: 'note',
      node: 'analyze',
      message: `${analysis.graph.functions.length} function(s), ${analysis.pruned.functions.length} reachable from main, ${pieces.length} unit(s)`,
      data: { order: pieces.map((p) => p.functions), ruleGlobals: analysis.ruleGlobals.map((g) => g.cName) },
    });
    const constants = rustConstants(analysis.macros);
    const modules: Record<string, string> =
      options.units === 'scc' && (analysis.ruleGlobals.length > 0 || constants.length > 0)
        ? { globals: globalsModule(analysis.ruleGlobals, constants) }
        : {};
    return { analysis, pieces, modules };
  });

  // The C the oracle builds: the analysed sources (integer constants rewritten by rule), so the rewrite is re-tested.
  const cFiles = (state: C2RustStateValue) =>
    state.analysis?.status === 'ok' && Object.keys(state.analysis.files).length > 0 ? state.analysis.files : task.files;

  const checkC = instrumentNode(ctx, 'check_c', async (state: C2RustStateValue) => {
    const oracle = await ctx.recordedStep(
      'c2rust-c-oracle',
      { files: cFiles(state), tests, comparison: task.comparison, limits },
      () => checkCOracle(bench(), cFiles(state), tests, task.comparison, limits, ctx.signal),
    );
    if (oracle.status === 'c-disagrees' && options.onUntrustedOracle === 'continue')
      return { oracle, message: `${oracle.message}; testing against the -O0 output anyway` };
    if (oracle.status !== 'ok') return { oracle, outcome: oracle.status, message: oracle.message };
    return { oracle };
  });

  const planner = instrumentNode(ctx, 'planner', async (state: C2RustStateValue) => {
    const index = state.pieces.findIndex((p) => p.code === null);
    const unit = state.pieces[index]!;
    const analysis = state.analysis!;
    const total = state.pieces.filter((p) => p.unit > 0).length;
    const holdsMain = unit.functions.includes('main');
    if (analysis.status !== 'ok' || options.units === 'program') {
      const source = analysis.status === 'ok' ? analysis.preprocessed : task.files['main.c']!;
      return {
        current: index,
        feedback: null,
        prompt: vars({
          instruction: 'Translate this whole C program to one Rust program (`src/main.rs`, with `fn main`).',
          c_code: source.trim(),
        }),
      };
    }
    const built = await crateItems(state.pieces.filter((p) => p.code !== null));
    const context = unitContext({
      unit: analysis.units[unit.unit - 1]!,
      facts: analysis.facts,
      crate: built,
      defined: {
        types: new Set(state.pieces.flatMap((p) => (p.code !== null ? p.definesTypes : []))),
        globals: new Set(state.pieces.flatMap((p) => (p.code !== null ? p.definesGlobals : []))),
      },
      ruleGlobals: analysis.ruleGlobals,
    });
    const pieces = state.pieces.map((p, i) =>
      i === index ? { ...p, definesTypes: context.definesTypes, definesGlobals: context.definesGlobals } : p,
    );
    return {
      current: index,
      pieces,
      feedback: null,
      questions: 0,
      prompt: vars({
        instruction:
          `Translate unit ${unit.unit} of ${total} (C function${unit.functions.length > 1 ? 's' : ''} ` +
          `${unit.functions.map((f) => `\`${f}\``).join(', ')}) to Rust.` +
          (holdsMain
            ? ' It holds `main`: write `fn main()`, reading input and printing output exactly as the C does.'
            : ''),
        c_code: context.cCode,
        callee_signatures: context.calleeSignatures.join('\n'),
        rust_definitions: context.rustDefinitions.join('\n\n'),
        to_define: context.toDefine.join('\n'),
        global_accessors: [...context.globalAccessors, ...constantsUsed(analysis, unit.functions)]
          .map((a) => `- ${a}`)
          .join('\n'),
      }),
    };
  });

  const coder = instrumentNode(ctx, 'coder', async (state: C2RustStateValue) => {
    const target = state.pieces[state.current]!;
    let reply: string;
    try {
      const answer = await callAgent(ctx, {
        agent: 'coder',
        vars: { ...state.prompt!, feedback: state.feedback ? `\n${state.feedback}\n` : '' },
        recordKey: task.id,
      });
      reply = answer.texts[0] ?? '';
    } catch (error) {
      // The recording has no reply: live, or replayed from a trajectory that recorded that very error.
      const noRecordedReply =
        RefineryError.isInstance(error, 'RECORDED_SAMPLE') ||
        (RefineryError.isInstance(error, 'MODEL_REPLAYED') && error.name === 'RecordedSampleError');
      if (!noRecordedReply) throw error;
      const what = state.feedback ? 'repair' : 'translation';
      return {
        outcome: 'no-recorded-reply' as const,
        message: `the recording has no ${what} for ${target.label}; with --on-divergence live the configured model answers instead`,
      };
    }
    const parsed = parseRustReply(reply);
    const asked = parsed.ok ? [] : neededSymbols(reply);
    if (asked.length > 0 && state.questions < MAX_QUESTIONS_PER_UNIT)
      return { modelCalls: state.modelCalls + 1, asked, questions: state.questions + 1 };
    const pieces = state.pieces.map((p, i) =>
      i === state.current ? { ...p, code: parsed.ok ? parsed.code : '', attempts: p.attempts + 1 } : p,
    );
    return {
      pieces,
      modelCalls: state.modelCalls + 1,
      ...(parsed.ok
        ? {}
        : { lastBuild: { ok: false, diagnostics: [{ level: 'error' as const, message: parsed.reason }] } }),
    };
  });

  // The planner answers "NEED: name" from the analysis index: the C definition of each symbol asked for.
  const answer = instrumentNode(ctx, 'planner_answer', (state: C2RustStateValue) => {
    const analysis = state.analysis;
    const index = new Map<string, string>();
    if (analysis?.status === 'ok') {
      for (const f of analysis.facts.functions) index.set(f.name, f.text);
      for (const t of analysis.facts.types) index.set(t.name, t.text);
      for (const g of analysis.facts.globals) index.set(g.name, g.text);
      for (const m of analysis.macros) index.set(m.name, `#define ${m.name}${m.body ? ` ${m.body}` : ''}`);
    }
    const answers = state.asked.map(
      (name) => index.get(name) ?? `/* ${name}: not defined in this program (a library symbol?) */`,
    );
    ctx.trajectory.write({ type: 'note', node: 'planner_answer', message: `answered ${state.asked.join(', ')}` });
    const block = `The definitions you asked for:\n\n\`\`\`c\n${answers.join('\n\n')}\n\`\`\`\n\nNow reply with the Rust code of the unit.`;
    return { feedback: state.feedback ? `${state.feedback}\n\n${block}` : block, asked: [] };
  });

  const build = instrumentNode(ctx, 'build', async (state: C2RustStateValue) => {
    const target = state.pieces[state.current]!;
    if (target.code === '') return { crate: null }; // the reply held no code: the critic says so
    const written = state.pieces.filter((p) => p.code !== null);
    const complete = state.pieces.every((p) => p.code !== null);
    const mainRs = await assemble(written, state.modules, options.forbidUnsafe, !complete);
    const files = crateFiles(mainRs, state.modules);
    const mode = complete ? 'build' : 'check';
    const result = await ctx.recordedStep('c2rust-cargo-build', { files, mode }, async () => {
      const started = performance.now();
      // A crate still missing units only needs its diagnostics: `cargo check` skips code generation.
      const b = await buildRustCrate(bench(), files, ctx.signal, mode);
      return {
        ok: b.ok,
        diagnostics: b.ok ? [] : b.diagnostics.slice(0, 20),
        durationMs: Math.round(performance.now() - started),
      };
    });
    const pieces = state.pieces.map((p, i) => (i === state.current ? { ...p, built: result.ok } : p));
    ctx.progress.update({ lastVerdict: `${target.label}: ${result.ok ? 'builds' : 'does not build'}` });
    return {
      pieces,
      lastBuild: { ok: result.ok, diagnostics: result.diagnostics },
      buildMs: state.buildMs + (result.durationMs ?? 0),
      ...(complete ? { crate: mainRs, ...(state.firstBuild === null ? { firstBuild: result.ok } : {}) } : {}),
    };
  });

  const test = instrumentNode(ctx, 'test', async (state: C2RustStateValue) => {
    if (!state.oracle)
      return { outcome: 'no-oracle' as const, message: state.message || 'no C oracle to test against' };
    const files = crateFiles(state.crate!, state.modules);
    const oracleTests = state.oracle.tests;
    const result = await ctx.recordedStep(
      'c2rust-differential',
      { files, tests: oracleTests, comparison: task.comparison, limits },
      () => runDifferentialTests(bench(), files, oracleTests, task.comparison, limits, ctx.signal),
    );
    const passed = result.results.filter((r) => r.passed).length;
    const all = passed === result.results.length && result.built;
    ctx.progress.update({ lastVerdict: `tests ${passed}/${result.results.length}` });
    return {
      lastTests: result.results,
      runMs: state.runMs + result.results.reduce((sum, r) => sum + r.durationMs, 0),
      ...(state.firstTestsEqual === null ? { firstTestsEqual: all } : {}),
      ...(all ? { outcome: 'passed' as const, message: `all ${passed} test(s) match the C program` } : {}),
      ...(!all && state.testRepairs >= options.maxTestRepairs
        ? {
            outcome: 'tests-failed' as const,
            message: `${passed}/${result.results.length} test(s) match the C program`,
          }
        : {}),
    };
  });

  const critic = instrumentNode(ctx, 'critic', async (state: C2RustStateValue) => {
    const target = state.pieces[state.current]!;
    if (state.lastBuild && !state.lastBuild.ok) {
      const feedback = [
        'Your previous code for this unit:',
        '```rust',
        (target.code ?? '').trimEnd(),
        '```',
        '',
        compileFeedback(state.lastBuild.diagnostics, options.feedbackErrors),
        '',
        'Reply with the corrected code of this unit, whole, in one ```rust block.',
      ].join('\n');
      ctx.trajectory.write({ type: 'note', node: 'critic', message: `compile repair of ${target.label}` });
      return { feedback, buildRepairs: state.buildRepairs + 1 };
    }
    // A test mismatch: the coder sees the whole crate and the failing input, and replies with corrected items.
    const mismatches = (state.lastTests ?? [])
      .filter((r) => !r.passed)
      .map((r) => ({
        input: r.args !== undefined ? { args: r.args } : { stdin: r.stdin ?? '' },
        expected: r.expected,
        actual: r.actual,
        ...(r.ending ? { ending: r.ending } : {}),
      }));
    const feedback = `${mismatchFeedback(mismatches, state.lastTests?.length ?? 0)}\n\nReply in one \`\`\`rust block with the corrected Rust items (whole functions, types or statics); each replaces the item of the same name in the crate.`;
    ctx.trajectory.write({ type: 'note', node: 'critic', message: `test repair ${state.testRepairs + 1}` });
    const analysis = state.analysis!;
    const source = analysis.status === 'ok' ? analysis.preprocessed : task.files['main.c']!;
    const program = options.units === 'program';
    const pieces: CratePiece[] = program
      ? state.pieces.map((p, i) => (i === 0 ? { ...p, attempts: 0 } : p))
      : [...state.pieces, { ...piece(`repair ${state.testRepairs + 1}`, 0, []), code: null }];
    return {
      pieces,
      current: program ? 0 : pieces.length - 1,
      testRepairs: state.testRepairs + 1,
      lastBuild: null,
      feedback,
      prompt: vars({
        instruction: 'The assembled Rust program builds, but it does not behave like the C program.',
        c_code: source.trim(),
        rust_definitions: `// src/main.rs\n${state.crate ?? ''}`.trim(),
      }),
    };
  });

  const afterAnalyze = (s: C2RustStateValue) => (s.outcome ? END : s.analysis?.status === 'ok' ? 'check_c' : 'planner');
  const afterCoder = (s: C2RustStateValue) => (s.outcome ? END : s.asked.length > 0 ? 'planner_answer' : 'build');
  const afterBuild = (s: C2RustStateValue) => {
    const target = s.pieces[s.current]!;
    if (!s.lastBuild?.ok) return target.attempts < options.maxBuildAttempts ? 'critic' : 'unit_failed';
    return s.pieces.some((p) => p.code === null) ? 'planner' : 'test';
  };
  const unitFailed = instrumentNode(ctx, 'unit_failed', (s: C2RustStateValue) => ({
    outcome: 'unit-failed' as const,
    message: `${s.pieces[s.current]!.label} does not build after ${options.maxBuildAttempts} attempt(s)`,
  }));

  return new StateGraph(C2RustState)
    .addNode('analyze', analyze)
    .addNode('check_c', checkC)
    .addNode('planner', planner)
    .addNode('coder', coder)
    .addNode('build', build)
    .addNode('planner_answer', answer)
    .addNode('critic', critic)
    .addNode('test', test)
    .addNode('unit_failed', unitFailed)
    .addEdge(START, 'analyze')
    .addConditionalEdges('analyze', afterAnalyze, ['check_c', 'planner', END])
    .addConditionalEdges('check_c', (s: C2RustStateValue) => (s.outcome ? END : 'planner'), ['planner', END])
    .addEdge('planner', 'coder')
    .addConditionalEdges('coder', afterCoder, ['build', 'planner_answer', END])
    .addEdge('planner_answer', 'coder')
    .addConditionalEdges('build', afterBuild, ['critic', 'unit_failed', 'planner', 'test'])
    .addEdge('unit_failed', END)
    .addConditionalEdges('test', (s: C2RustStateValue) => (s.outcome ? END : 'critic'), ['critic', END])
    .addEdge('critic', 'coder')
    .compile();
}

/** The C macro constants a unit's functions use, as the Rust constants of the globals module. */
function constantsUsed(analysis: Extract<CAnalysis, { status: 'ok' }>, functions: readonly string[]): string[] {
  const used = new Set(analysis.facts.functions.filter((f) => functions.includes(f.name)).flatMap((f) => f.valueRefs));
  return analysis.macros
    .filter((m) => m.kind === 'constant' && m.rust && used.has(m.name))
    .map((m) => `C constant \`${m.name}\` (#define): use \`${m.name}: ${m.rust!.type}\` from the globals module`);
}

/** Questions the coder may ask per unit before it must write code. */
const MAX_QUESTIONS_PER_UNIT = 2;

/** `NEED: name` lines of a reply that holds no code. */
export function neededSymbols(reply: string): string[] {
  return [...reply.matchAll(/^\s*NEED:\s*([A-Za-z_]\w*(?:\s+[A-Za-z_]\w*)?)\s*$/gm)].map((m) =>
    m[1]!.replace(/\s+/g, ' '),
  );
}

function piece(label: string, unit: number, functions: string[]): CratePiece {
  return { label, unit, functions, code: null, attempts: 0, built: false, definesTypes: [], definesGlobals: [] };
}

function vars(values: Partial<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['instruction', 'c_code', 'callee_signatures', 'rust_definitions', 'to_define', 'global_accessors'])
    out[key] = values[key]?.trim() ? values[key]! : NONE;
  return out;
}

async function crateItems(pieces: readonly CratePiece[]): Promise<RustItem[]> {
  const items: RustItem[] = [];
  for (const p of pieces) if (p.code) items.push(...(await parseRustItems(p.code)).items);
  return items;
}

/** `src/main.rs` from the pieces written so far; a stub `main` while units are missing and none defines `fn main`. */
async function assemble(
  pieces: readonly CratePiece[],
  modules: Record<string, string>,
  forbidUnsafe: boolean,
  incomplete: boolean,
): Promise<string> {
  const parts: { label: string; text: string }[] = [];
  if (modules.globals)
    parts.push({ label: 'globals module', text: 'mod globals;\n#[allow(unused_imports)]\nuse globals::*;\n' });
  for (const p of pieces) if (p.code) parts.push({ label: p.label, text: p.code });
  const units = [];
  for (const part of parts) units.push({ ...part, file: await parseRustItems(part.text) });
  // Only while units are missing: a complete crate without `fn main` must fail to build, as rustc would.
  if (incomplete && !units.some((u) => u.file.items.some((i) => i.kind === 'fn' && i.name === 'main'))) {
    const text = '#![allow(dead_code)]\nfn main() {}\n';
    units.push({
      label: 'stub main (until the unit holding main is translated)',
      text,
      file: await parseRustItems(text),
    });
  }
  return assembleRustSource(units, { forbidUnsafe });
}

import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { parseRepairReply, parseTestReply, testFileFor } from '../../agents/mutap-tester/parse-test-reply.ts';
import { augmentPromptVars, initialPromptVars, repairPromptVars } from '../../agents/mutap-tester/prompt-vars.ts';
import type { MatrixEngine } from '../../src/execution/matrix/matrix-engine.ts';
import { MutapCalls } from '../../src/execution/mutap/mutap-calls.ts';
import { generateMutants } from '../../src/execution/mutation/generate-mutants.ts';
import { PutParseError } from '../../src/execution/mutation/put-parse-error.ts';
import { callAgent } from '../../src/runtime/call-agent.ts';
import { instrumentNode } from '../../src/runtime/instrument-node.ts';
import { loadPromptTemplate, renderPrompt } from '../../src/runtime/prompt-template.ts';
import type { RunContext } from '../../src/runtime/run-context.ts';
import { splitAsserts } from '../../src/techniques/mutap/assert-statements.ts';
import { mergeAugmentation } from '../../src/techniques/mutap/merge-augmentation.ts';
import { minimisedFile, minimiseSuite } from '../../src/techniques/mutap/minimise-suite.ts';
import { mutationScore } from '../../src/techniques/mutap/mutation-score.ts';
import { fixOracles } from '../../src/techniques/mutap/oracle-fix.ts';
import { scoreSuite } from '../../src/techniques/mutap/score-suite.ts';
import {
  failsForMinimisation,
  type RunScripts,
  type ScriptOutcome,
} from '../../src/techniques/mutap/script-outcome.ts';
import { type ParseVerdict, truncateUntilParses } from '../../src/techniques/mutap/syntax-fix.ts';
import { scoringBody, splitTestFile } from '../../src/techniques/mutap/test-file.ts';
import type { MutapOptions } from './mutap-options.ts';
import type { MutapResult, MutapScore } from './mutap-result.ts';
import { augmentRecordKey, type MutapTask } from './mutap-task.ts';

export interface MutapMutant {
  source: string;
  operator: string | null;
  name?: string;
}

const replace = <T>(fallback: T) => Annotation<T>({ reducer: (_old, next) => next, default: () => fallback });

export const MutapState = Annotation.Root({
  /** The tester's first file: the PUT, the test header, the reply's body. */
  rawFile: replace<string | null>(null),
  syntaxFix: replace<MutapResult['syntaxFix']>(null),
  oracleFix: replace<MutapResult['oracleFix']>(null),
  /** The current suite's test file: the IUT, then the AUT after each round. */
  suite: replace<string | null>(null),
  /** Why the run has nothing (more) to score, or null. */
  problem: replace<string | null>(null),
  mutants: replace<MutapMutant[] | null>(null),
  mutantSource: replace<'task' | 'generated' | null>(null),
  scores: Annotation<MutapScore[]>({ reducer: (old, next) => [...old, ...next], default: () => [] }),
  /** Raw augmentation outputs of the round in progress. */
  augmentation: replace<string[]>([]),
  augmentationCalls: replace<number>(0),
  minimised: replace<MutapResult['minimised']>(null),
});
export type MutapStateValue = typeof MutapState.State;

/** Recorded-step names: `--exec recorded` replays answer them from the trajectory. */
const SCRIPTS_STEP = 'mutap-scripts';
const PARSE_STEP = 'mutap-parse';
const MUTANTS_STEP = 'mutap-generate-mutants';

/**
 * MuTAP (techniques §3.2): tester → syntax fix → oracle fix (the IUT) → mutants → score → for each survivor the
 * tester again with that mutant → merge + oracle fix (the AUT) → score, for `options.rounds` rounds (the paper: 1) or
 * until no mutant survives → greedy minimisation.
 */
export function buildMutapGraph(ctx: RunContext<MutapTask, MutapOptions>, engine: MatrixEngine) {
  const { task, options } = ctx;
  const calls = new MutapCalls(engine, {
    cpuLimitSec: options.cpuLimitSec,
    wallLimitSec: options.wallLimitSec,
    memoryMb: ctx.config.execution.memoryMb,
    signal: ctx.signal,
  });
  const prompts = ctx.config.agents.tester?.prompts ?? {};
  const message = (role: string, vars: Record<string, string>) =>
    renderPrompt(loadPromptTemplate(prompts[role]!, ctx.baseDir), vars);

  const runScripts: RunScripts = (sources, runOptions = {}) =>
    ctx.recordedStep<ScriptOutcome[]>(
      SCRIPTS_STEP,
      {
        sources,
        stdout: runOptions.stdout === true,
        cpuLimitSec: options.cpuLimitSec,
        wallLimitSec: options.wallLimitSec,
      },
      () => calls.runScripts(sources, runOptions),
    );
  const parse = async (source: string): Promise<ParseVerdict> =>
    (await ctx.recordedStep<ParseVerdict[]>(PARSE_STEP, { sources: [source] }, () => calls.parse([source])))[0]!;
  const askTester = async (role: string, vars: Record<string, string>, recordKey: string) => {
    const reply = await callAgent(ctx, { agent: 'tester', vars: { message: message(role, vars) }, recordKey });
    return reply.texts[0] ?? '';
  };

  const tester = instrumentNode(ctx, 'tester', async () => {
    // A PUT that does not parse can be neither tested nor mutated: say so before any model call.
    const put = await parse(task.put);
    if (!put.ok) return { problem: `the PUT does not parse (SyntaxError at line ${put.line ?? '?'})` };
    ctx.budget.startIteration();
    const reply = await askTester('initial', initialPromptVars(task.put), task.id);
    return { rawFile: testFileFor(task.put, parseTestReply(reply)) };
  });

  const syntaxFix = instrumentNode(ctx, 'syntax_fix', async (state: MutapStateValue) => {
    let file = state.rawFile ?? '';
    let modelRepairs = 0;
    while (modelRepairs < options.syntaxRepairs && !(await parse(file)).ok) {
      const reply = await askTester('repair', repairPromptVars(file), `${task.id}#repair`);
      file += parseRepairReply(reply);
      modelRepairs += 1;
    }
    const fixed = await truncateUntilParses(file, parse);
    return { rawFile: fixed.source, syntaxFix: { modelRepairs, truncations: fixed.steps } };
  });

  const oracleFix = instrumentNode(ctx, 'oracle_fix', async (state: MutapStateValue) => {
    const fixed = await fixOracles(state.rawFile ?? '', runScripts, { printing: options.oraclePrinting });
    const oracle = { passed: fixed.passed, repaired: fixed.repaired, dropped: fixed.dropped };
    if (fixed.content === null)
      return { oracleFix: oracle, problem: 'the test file has no test function after the syntax fix' };
    if (fixed.asserts.length === 0)
      return { oracleFix: oracle, suite: fixed.content, problem: 'no assert is left after the oracle fix' };
    return { oracleFix: oracle, suite: fixed.content };
  });

  const mutate = instrumentNode(ctx, 'mutate', async () => {
    if (options.mutants === 'task' && task.mutants && task.mutants.length > 0) {
      const mutants = task.mutants.map((m) => ({
        source: m.source,
        operator: m.operator ?? null,
        ...(m.name ? { name: m.name } : {}),
      }));
      return { mutants, mutantSource: 'task' as const };
    }
    const generated = await ctx.recordedStep<{ mutants: MutapMutant[] } | { error: string }>(
      MUTANTS_STEP,
      { put: task.put },
      async () => {
        try {
          const mutants = await generateMutants(task.put, { signal: ctx.signal });
          return { mutants: mutants.map((m) => ({ source: m.source, operator: m.operator })) };
        } catch (error) {
          if (error instanceof PutParseError) return { error: error.message };
          throw error;
        }
      },
    );
    if ('error' in generated)
      return { mutants: [], mutantSource: 'generated' as const, problem: `the PUT does not parse: ${generated.error}` };
    return { mutants: generated.mutants, mutantSource: 'generated' as const };
  });

  const score = instrumentNode(ctx, 'score', async (state: MutapStateValue) => {
    const suite = state.suite!;
    const mutants = state.mutants ?? [];
    const body = scoringBody(suite, 'test-function');
    const round = state.scores.length;
    const result =
      body === null
        ? { verdicts: [], counts: { killed: 0, survived: 0, problematic: 0, timeout: 0 }, suiteOnPut: 'error' as const }
        : await scoreSuite(runScripts, { put: task.put, mutants: mutants.map((m) => m.source), body });
    const ms = mutationScore(result.counts);
    const entry: MutapScore = {
      round,
      content: suite,
      asserts: body === null ? 0 : splitAsserts(body).asserts.length,
      counts: result.counts,
      ms,
      suiteOnPut: result.suiteOnPut,
      msClean: result.suiteOnPut === 'pass' ? ms : null,
      survivors: result.verdicts.flatMap((v, i) => (v === 'survived' ? [i] : [])),
    };
    ctx.progress.update({ lastVerdict: `round ${round}: MS ${ms === null ? '-' : (100 * ms).toFixed(1)}%` });
    return { scores: [entry] };
  });

  const augment = instrumentNode(ctx, 'augment', async (state: MutapStateValue) => {
    ctx.budget.startIteration();
    const last = state.scores.at(-1)!;
    const left =
      task.maxAugmentations === undefined ? Number.POSITIVE_INFINITY : task.maxAugmentations - state.augmentationCalls;
    const targets = last.survivors.slice(0, Math.min(options.survivorsPerRound ?? Number.POSITIVE_INFINITY, left));
    const outputs: string[] = [];
    for (const index of targets) {
      const mutant = state.mutants![index]!;
      outputs.push(
        await askTester('augment', augmentPromptVars(last.content, mutant.source), augmentRecordKey(task.id)),
      );
    }
    return { augmentation: outputs, augmentationCalls: state.augmentationCalls + targets.length };
  });

  const merge = instrumentNode(ctx, 'merge', async (state: MutapStateValue) => {
    const merged = mergeAugmentation(
      state.suite!,
      state.augmentation.map(parseTestReply).map((body) => `def test():\n${body}`),
    );
    const fixed = await fixOracles(merged, runScripts, { printing: options.oraclePrinting });
    return { suite: fixed.content ?? state.suite, augmentation: [] };
  });

  const minimise = instrumentNode(ctx, 'minimise', async (state: MutapStateValue) => {
    const split = splitTestFile(state.suite!);
    const asserts = split ? splitAsserts(split.body).asserts : [];
    const mutants = state.mutants ?? [];
    const programs = asserts.flatMap((statement) => mutants.map((m) => `${m.source}\n${statement}`));
    const outcomes = await runScripts(programs);
    const failSets = asserts.map(
      (_, a) =>
        new Set(
          mutants.flatMap((_m, k) => (failsForMinimisation(outcomes[a * mutants.length + k]!) ? [String(k)] : [])),
        ),
    );
    const strategy = options.minimise === 'set-cover' ? 'set-cover' : 'sort-once';
    const chosen = minimiseSuite(failSets, strategy);
    return {
      minimised: {
        content: minimisedFile(split?.code ?? task.put, asserts, chosen.chosen),
        asserts: chosen.chosen.length,
        failsOn: chosen.covered,
        strategy,
      },
    };
  });

  const afterTester = (state: MutapStateValue) => (state.problem !== null ? END : 'syntax_fix');
  const afterFix = (state: MutapStateValue) => (state.problem !== null ? END : 'mutate');
  const afterMutate = (state: MutapStateValue) => (state.problem !== null ? END : 'score');
  const afterScore = (state: MutapStateValue) => {
    const last = state.scores.at(-1)!;
    const roundsDone = state.scores.length - 1;
    const callsLeft = task.maxAugmentations === undefined || state.augmentationCalls < task.maxAugmentations;
    if (last.survivors.length > 0 && roundsDone < options.rounds && callsLeft) return 'augment';
    return options.minimise === 'none' ? END : 'minimise';
  };

  return new StateGraph(MutapState)
    .addNode('tester', tester)
    .addNode('syntax_fix', syntaxFix)
    .addNode('oracle_fix', oracleFix)
    .addNode('mutate', mutate)
    .addNode('score', score)
    .addNode('augment', augment)
    .addNode('merge', merge)
    .addNode('minimise', minimise)
    .addEdge(START, 'tester')
    .addConditionalEdges('tester', afterTester, ['syntax_fix', END])
    .addEdge('syntax_fix', 'oracle_fix')
    .addConditionalEdges('oracle_fix', afterFix, ['mutate', END])
    .addConditionalEdges('mutate', afterMutate, ['score', END])
    .addConditionalEdges('score', afterScore, ['augment', 'minimise', END])
    .addEdge('augment', 'merge')
    .addEdge('merge', 'score')
    .addEdge('minimise', END)
    .compile();
}

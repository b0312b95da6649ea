import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { parseTesterReply } from '../../agents/mokav-tester/parse-tester-reply.ts';
import { feedbackPromptVars, initialPromptVars } from '../../agents/mokav-tester/prompt-parts.ts';
import type { MatrixEngine } from '../../src/execution/matrix/matrix-engine.ts';
import { type ExampleRun, runDetCalls, runExample, runSeparateDetCalls } from '../../src/execution/mokav/det-calls.ts';
import { callAgent } from '../../src/runtime/call-agent.ts';
import { instrumentNode } from '../../src/runtime/instrument-node.ts';
import { loadPromptTemplate, type PromptTemplate, renderPrompt } from '../../src/runtime/prompt-template.ts';
import type { RunContext } from '../../src/runtime/run-context.ts';
import { callArguments } from '../../src/techniques/mokav/calling-convention.ts';
import { parseLetters } from '../../src/techniques/mokav/config-letters.ts';
import { feedbackFacts, stateSentences } from '../../src/techniques/mokav/feedback-facts.ts';
import type { PyValue } from '../../src/techniques/mokav/python-value.ts';
import { type ChatTurn, truncateHistory } from '../../src/techniques/mokav/truncate-history.ts';
import type { MokavOptions } from './mokav-options.ts';
import type { MokavCandidate, MokavRuns } from './mokav-result.ts';
import type { MokavTask } from './mokav-task.ts';

const replace = <T>(_old: T, next: T) => next;

export const MokavState = Annotation.Root({
  /** Q's output on the example input and, with E, the state difference worded (prepare). */
  example: Annotation<ExampleRun | null>({ reducer: replace, default: () => null }),
  /** D: the describer's text for each version. */
  descriptions: Annotation<{ original: string; patched: string } | null>({ reducer: replace, default: () => null }),
  /** Tester calls made so far (rounds, 1-based after the first call). */
  round: Annotation<number>({ reducer: replace, default: () => 0 }),
  /** Earlier rounds: each user message with the first reply of its round. */
  turns: Annotation<ChatTurn[]>({ reducer: replace, default: () => [] }),
  /** The next user message (the critic's feedback), '' before round 1. */
  feedback: Annotation<string>({ reducer: replace, default: () => '' }),
  /** This round's samples, parsed, waiting for execution. */
  pending: Annotation<MokavCandidate[]>({ reducer: replace, default: () => [] }),
  /** Every sample so far with its verdict, in order. */
  candidates: Annotation<MokavCandidate[]>({ reducer: (old, next) => [...old, ...next], default: () => [] }),
  /** Executions: run now, answered from the cache, ended at the limit and the seconds those took. */
  runs: Annotation<MokavRuns>({
    reducer: (old, next) => ({
      executed: old.executed + next.executed,
      cached: old.cached + next.cached,
      timeouts: old.timeouts + next.timeouts,
      timeoutSeconds: old.timeoutSeconds + next.timeoutSeconds,
    }),
    default: () => ({ executed: 0, cached: 0, timeouts: 0, timeoutSeconds: 0 }),
  }),
});
export type MokavStateValue = typeof MokavState.State;

/** prepare → [describe] → tester → execute → critic → tester ... until a round holds a DET or R rounds were asked. */
export function buildMokavGraph(ctx: RunContext<MokavTask, MokavOptions>, engine: MatrixEngine) {
  const { task, options } = ctx;
  const parsedLetters = parseLetters(options.letters);
  if (!parsedLetters.ok) throw new Error(parsedLetters.message);
  const letters = parsedLetters.letters;
  const rounds = Math.min(task.rounds ?? options.rounds, options.rounds);
  const limits = {
    cpuLimitSec: options.limitSec,
    ...(options.wallLimitSec ? { wallLimitSec: options.wallLimitSec } : {}),
  };
  // A revision's module (difftest): each version in its own process, twice; a number is one argument there.
  const separate = 'files' in task.patched || 'files' in task.original;
  const runCalls = separate ? runSeparateDetCalls : runDetCalls;
  const scalars = { scalars: separate ? ('one-argument' as const) : ('harness-exception' as const) };
  const originalCode = task.originalCode ?? ('source' in task.original ? task.original.source : '');
  const patchedCode = task.patchedCode ?? ('source' in task.patched ? task.patched.source : '');
  const prompts = ctx.config.agents.tester?.prompts ?? {};
  // Each of the tester's own templates (initial, system, feedback) is read once per run, at its first use.
  const templates = new Map<string, PromptTemplate>();
  const template = (role: string) => {
    let loaded = templates.get(role);
    if (!loaded) {
      loaded = loadPromptTemplate(prompts[role]!, ctx.baseDir);
      templates.set(role, loaded);
    }
    return loaded;
  };

  const prepare = instrumentNode(ctx, 'prepare', async () => {
    // Mokav never checks that the example agrees (nor that Q runs on it): it only shows it.
    const args = task.exampleInput === null ? null : callArguments(task.exampleInput, scalars);
    if (args === null) return { example: { patchedOutput: '', difference: null } };
    const request = { q: task.patched, p: task.original, args, trace: letters.execInfo, limits };
    const example = await ctx.recordedStep('mokav-example', request, () =>
      runExample(engine, task.patched, task.original, args, letters.execInfo, limits, { signal: ctx.signal }),
    );
    return { example };
  });

  const describe = instrumentNode(ctx, 'describe', async () => {
    const ask = async (which: 'original' | 'patched', code: string) =>
      (
        await callAgent(ctx, {
          agent: 'describer',
          vars: { code },
          params: { n: 1, temperature: 0 },
          recordKey: `${task.id}#${which}`,
        })
      ).texts[0] ?? '';
    return {
      descriptions: { original: await ask('original', originalCode), patched: await ask('patched', patchedCode) },
    };
  });

  const tester = instrumentNode(ctx, 'tester', async (state: MokavStateValue) => {
    ctx.budget.startIteration();
    const round = state.round;
    const message =
      round === 0
        ? renderPrompt(
            template('initial'),
            initialPromptVars({
              letters,
              originalCode,
              patchedCode,
              descriptions: state.descriptions,
              exampleInput: task.exampleInput,
              exampleOutput: state.example?.patchedOutput ?? '',
              exampleState: stateSentences(state.example?.difference ?? null, 'this input'),
            }),
          )
        : state.feedback;
    const system = prompts.system ? renderPrompt(template('system'), {}) : '';
    const turns = truncateHistory(system, state.turns, message, options.historyChars);
    const reply = await callAgent(ctx, {
      agent: 'tester',
      vars: { message },
      history: turns.flatMap((turn) => [
        { role: 'user' as const, content: turn.user },
        { role: 'assistant' as const, content: turn.reply },
      ]),
      params: { n: options.samples },
      recordKey: `${task.id}#${round}`,
    });
    const pending = reply.texts.map((text, sample): MokavCandidate => {
      const parsed = parseTesterReply(text, task.replyFormat);
      return parsed.ok
        ? { round, sample, input: parsed.input, verdict: null }
        : { round, sample, input: null, verdict: null, dropped: parsed.reason };
    });
    return { round: round + 1, turns: [...state.turns, { user: message, reply: reply.texts[0] ?? '' }], pending };
  });

  const execute = instrumentNode(ctx, 'execute', async (state: MokavStateValue) => {
    const done = state.pending.map((candidate) => ({ ...candidate }));
    // Parsed samples in order; null arguments: Mokav could not build a test from the input (nothing runs).
    const runnable = done.flatMap((candidate, index) =>
      candidate.input === null ? [] : [{ index, args: callArguments(candidate.input, scalars) }],
    );
    const totals: MokavRuns = { executed: 0, cached: 0, timeouts: 0, timeoutSeconds: 0 };
    const size = options.afterDet === 'stop' ? options.chunk : Math.max(runnable.length, 1);
    for (let start = 0; start < runnable.length; start += size) {
      const slice = runnable.slice(start, start + size);
      const toRun = slice.filter((item): item is { index: number; args: PyValue[] } => item.args !== null);
      for (const item of slice) if (item.args === null) done[item.index]!.verdict = 'HARNESS_EXCEPTION';
      const request = { q: task.patched, p: task.original, args: toRun.map((item) => item.args), limits, separate };
      const batch = await ctx.recordedStep('mokav-det', request, () =>
        runCalls(
          engine,
          toRun.map((item) => ({ q: task.patched, p: task.original, args: item.args })),
          limits,
          { signal: ctx.signal },
        ),
      );
      totals.executed += batch.stats.executed;
      totals.cached += batch.stats.cached;
      // Limit time spent now, as CPU seconds: the CPU limit for a run stopped there, the CPU it used for one stopped at
      // the wall ceiling (runs at the limit share the cores, so their wall time would count the same CPU more than
      // once). A cached outcome reports the seconds of when it ran, not this run.
      const limited = new Map<string, number>();
      for (const [i, outcome] of batch.outcomes.entries())
        if (outcome.verdict === 'TIMEOUT' && !outcome.cached)
          limited.set(
            JSON.stringify(toRun[i]!.args),
            (outcome.error === 'cpu' ? options.limitSec : outcome.cpuSec) * 1000,
          );
      totals.timeouts += limited.size;
      totals.timeoutSeconds += [...limited.values()].reduce((sum, ms) => sum + ms / 1000, 0);
      for (const [i, item] of toRun.entries()) {
        const outcome = batch.outcomes[i]!;
        const candidate = done[item.index]!;
        candidate.verdict = outcome.verdict;
        if (outcome.q) candidate.patchedOutput = outcome.q;
        if (outcome.p) candidate.originalOutput = outcome.p;
        if (outcome.error) candidate.error = outcome.error;
      }
      if (options.afterDet === 'stop') {
        const det = slice.findIndex((item) => done[item.index]!.verdict === 'DET');
        if (det !== -1) {
          // The May-2024 code ran nothing after a round's first DET: those samples have no verdict.
          for (const item of runnable.slice(start + det + 1)) {
            const candidate = done[item.index]!;
            candidate.verdict = null;
            delete candidate.patchedOutput;
            delete candidate.originalOutput;
            delete candidate.error;
          }
          break;
        }
      }
    }
    const found = done.filter((c) => c.verdict === 'DET').length;
    ctx.progress.update({ lastVerdict: `round ${state.round}: ${found > 0 ? 'DET' : 'no DET'}` });
    return { pending: [], candidates: done, runs: totals };
  });

  const critic = instrumentNode(ctx, 'critic', async (state: MokavStateValue) => {
    // x0: the first parseable sample of the round just run; with E, Q's printed output on it.
    const lastRound = state.candidates.filter((c) => c.round === state.round - 1);
    const x0 = lastRound.find((c) => c.input !== null);
    const facts = feedbackFacts(letters, state.example?.difference ?? null, x0?.patchedOutput?.str ?? null);
    return { feedback: renderPrompt(template('feedback'), feedbackPromptVars(facts)) };
  });

  const hasDet = (state: MokavStateValue) => state.candidates.some((c) => c.verdict === 'DET');
  const afterExecute = (state: MokavStateValue) => (hasDet(state) || state.round >= rounds ? END : 'critic');

  const loop = new StateGraph(MokavState)
    .addNode('prepare', prepare)
    .addNode('tester', tester)
    .addNode('execute', execute)
    .addNode('critic', critic)
    .addEdge(START, 'prepare')
    .addEdge('tester', 'execute')
    .addConditionalEdges('execute', afterExecute, ['critic', END])
    .addEdge('critic', 'tester');
  // D is known when the graph is built: plain edges, not a routing step in every run.
  if (!letters.description) return loop.addEdge('prepare', 'tester').compile();
  return loop.addNode('describe', describe).addEdge('prepare', 'describe').addEdge('describe', 'tester').compile();
}

import { BudgetExhaustedError, type BudgetName } from '../budget/budget-exhausted-error.ts';
import type { BudgetTracker } from '../budget/budget-tracker.ts';
import type { ModelClient, ModelReply, ModelRequest } from '../models/model-types.ts';
import type { TrajectoryWriter } from '../trajectory/trajectory-writer.ts';
import { canonicalJson } from './canonical-json.ts';
import { DivergenceError } from './divergence-error.ts';
import { lineDiff } from './line-diff.ts';
import { type RecordedLedger, type RecordedModelOutcome, requestKey } from './recorded-ledger.ts';
import { ReplayedModelError } from './replayed-model-error.ts';

export interface ReplaySource {
  ledger: RecordedLedger<RecordedModelOutcome>;
  onDivergence: 'stop' | 'live';
  /** Shared across all agents' clients: once one call diverges under `live`, the rest of the run is live. */
  state: { diverged: boolean };
}

export interface TrajectoryModelClientDeps {
  agent: string;
  trajectory: TrajectoryWriter;
  budget: BudgetTracker;
  currentNode: () => string;
  nextCallIndex: () => number;
  /** The configured model; created lazily so a pure replay never needs credentials. */
  live: () => ModelClient;
  /** Whether `live` records its own attempts and usage in the budget (provider clients do, per HTTP attempt). */
  liveRecordsBudget: boolean;
  replay?: ReplaySource;
  /**
   * A resumed run: the calls the killed run had answered after its last checkpoint. A request found here is
   * answered from it (budgets see it again, the trajectory already holds it) and never sent again.
   */
  answered?: RecordedLedger<RecordedModelOutcome>;
}

/**
 * The one model client graphs see. It checks budgets before every call, records every request and reply
 * to the trajectory, and under replay answers from the recording by exact request identity.
 */
export class TrajectoryModelClient implements ModelClient {
  constructor(private readonly deps: TrajectoryModelClientDeps) {}

  async call(request: ModelRequest, options?: { signal?: AbortSignal }): Promise<ModelReply> {
    // A cancelled run asks nothing more, from the recording or live, and records no call.
    options?.signal?.throwIfAborted();
    const { budget, trajectory, replay } = this.deps;
    const node = this.deps.currentNode();
    const call = this.deps.nextCallIndex();
    budget.checkBeforeModelCall();
    // A replay's next recorded call of this agent, when the request equals it (almost always): answered as
    // recorded, no copy or hash of the request. Otherwise the request's key looks it up.
    const match =
      replay && !replay.state.diverged && !this.deps.answered
        ? replay.ledger.takeNextIfEqual(request.agent, request)
        : undefined;
    if (match) return this.answerFromRecording(match.value, match.request as ModelRequest, node, call);
    const recordable = stripUndefined(request);
    const answered = this.deps.answered?.take(requestKey('model', recordable));
    if (answered) return this.answerFromRecording(answered, recordable, node, call, false);

    if (replay && !replay.state.diverged) {
      const outcome = replay.ledger.take(requestKey('model', recordable));
      if (outcome) return this.answerFromRecording(outcome, recordable, node, call);
      const expected = replay.ledger.nextUnused(request.agent);
      const diff = lineDiff(
        expected ? pretty(expected.request) : '(the recording holds no further model call)',
        pretty(recordable),
      );
      if (replay.onDivergence === 'stop') throw new DivergenceError('model', call, node, diff);
      replay.state.diverged = true;
      trajectory.write({
        type: 'note',
        node,
        message: `replay diverged at model call ${call}; continuing with the live model`,
        data: { diff },
      });
    }

    try {
      const reply = await this.deps.live().call(request, options);
      if (!this.deps.liveRecordsBudget) {
        for (let i = 0; i < reply.attempts; i++) budget.recordAttempt();
        budget.recordUsage(reply.usage.inputTokens, reply.usage.outputTokens, reply.costUsd);
      }
      trajectory.write({ type: 'model_call', node, call, request: recordable, reply });
      // A reply is paid for: stored (a run store's insert) before the run goes on, so a killed worker keeps it.
      await trajectory.durable();
      return reply;
    } catch (error) {
      const err = error as Error & { attempts?: number };
      const data =
        error instanceof BudgetExhaustedError
          ? { budget: error.budget, used: error.used, limit: error.limit }
          : undefined;
      trajectory.write({
        type: 'model_error',
        node,
        call,
        request: recordable,
        error: {
          name: err.name,
          message: err.message,
          ...(typeof err.attempts === 'number' ? { attempts: err.attempts } : {}),
          ...(data ? { data } : {}),
        },
      });
      throw error;
    }
  }

  private answerFromRecording(
    outcome: RecordedModelOutcome,
    request: ModelRequest,
    node: string,
    call: number,
    write = true,
  ): ModelReply {
    const { budget, trajectory } = this.deps;
    if (outcome.kind === 'reply') {
      const reply = outcome.reply;
      for (let i = 0; i < reply.attempts; i++) budget.recordAttempt();
      budget.recordUsage(reply.usage.inputTokens, reply.usage.outputTokens, reply.costUsd);
      if (write) trajectory.write({ type: 'model_call', node, call, request, reply });
      return reply;
    }
    if (write) trajectory.write({ type: 'model_error', node, call, request, error: outcome.error });
    const data = outcome.error.data as { budget?: BudgetName; used?: number; limit?: number } | undefined;
    if (outcome.error.name === 'BudgetExhaustedError' && data?.budget)
      throw new BudgetExhaustedError(data.budget, data.used ?? 0, data.limit ?? 0);
    throw new ReplayedModelError(outcome.error.name, outcome.error.message);
  }
}

function pretty(value: unknown): string {
  return JSON.stringify(JSON.parse(canonicalJson(value)), null, 2);
}

function stripUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * What `describeProviderConformance` needs to know about a model client: how to make one that answers a
 * script, and which groups of scenarios apply to it. A group that does not apply is declared with the
 * reason, and its scenarios show up as skipped under that reason, never silently left out.
 */
import type { BudgetTracker } from '../budget/budget-tracker.ts';
import type { Price } from '../config/pipeline-config-schema.ts';
import type { ModelClient, ModelRequest, ProviderName, TokenUsage } from '../models/model-types.ts';
import type { ProviderWireHarness } from './provider-wire-harness.ts';
import type { MakeHttpModelClient } from './provider-wire-scenarios.ts';

/** The client can be held to a group of scenarios (`true`), or why the group does not apply to it. */
export type Capability<T = true> = T | { notApplicable: string };

export interface ProviderCapabilities {
  /** It reports the tokens each call used and prices them (`price` below). */
  usage: Capability;
  /** It checks the run's budget before each call and charges every attempt and its usage to it. */
  budget: Capability;
  /** It honours `options.signal`: an aborted call rejects with the signal's reason. */
  abort: Capability;
  /** Its backend can fail (an HTTP error, a recorded failure), and the failure reaches the caller under its own name. */
  failures: Capability;
  /** It talks HTTP through an SDK: the wire scenarios (retries, timeouts, streams, bodies) run against its wire server. */
  wire: Capability<{ harness: ProviderWireHarness; makeClient: MakeHttpModelClient }>;
}

/** One call the scenario will make, and what the backend holds for it. */
export interface ScriptedCall {
  request: ModelRequest;
  answer: ScriptedAnswer;
}

export type ScriptedAnswer =
  /** One text per wanted choice (`request.params.n`, default 1), with the usage the backend reports. */
  | { texts: string[]; usage: TokenUsage }
  /** The backend fails the call (as an HTTP provider would answer this status). */
  | { failure: { status: number } };

export interface ConformanceSession {
  client: ModelClient;
  /** How many times the client reached its backend so far (HTTP requests, recording look-ups). */
  backendCalls(): number;
  stop(): Promise<void>;
}

/** An error class and the fields an instance must have. */
export interface ExpectedError {
  type: abstract new (...args: never[]) => Error;
  fields?: Record<string, unknown>;
}

export interface ProviderConformanceTarget {
  capabilities: ProviderCapabilities;
  /** Requests in the scenarios carry this provider and model. */
  provider: ProviderName;
  model: string;
  /** The model's price, when `usage` applies: a reply's cost must be its usage at this price. */
  price?: Price;
  /** What a call raises when the backend holds no answer for it (script used up, not recorded). */
  unanswered: ExpectedError;
  /**
   * A client whose backend answers `script`, in order. `budget` is the run's budget: a client with the
   * `budget` capability must check and charge it.
   */
  start(script: ScriptedCall[], deps: { budget: BudgetTracker }): Promise<ConformanceSession>;
}

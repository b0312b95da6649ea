/**
 * The conformance target of an HTTP provider: its client, made from a model config that points at the
 * provider's wire server on 127.0.0.1, with the real SDK inside. Every scenario group applies.
 *
 *   describeProviderConformance('anthropic', httpProviderTarget(anthropicHarness, createModelClient));
 */

import { ModelHttpError } from '../models/model-http-error.ts';
import { DEFAULT_PRICES } from '../models/price-table.ts';
import type { ProviderConformanceTarget, ScriptedCall } from './provider-conformance-target.ts';
import type { ProviderWireHarness } from './provider-wire-harness.ts';
import type { MakeHttpModelClient } from './provider-wire-scenarios.ts';
import type { TextReply, WireReply } from './wire-servers/scripted-http-server.ts';

export function httpProviderTarget(
  harness: ProviderWireHarness,
  makeClient: MakeHttpModelClient,
): ProviderConformanceTarget {
  const price = { ...DEFAULT_PRICES, ...harness.pricing }[harness.pricedModel];
  return {
    capabilities: { usage: true, budget: true, abort: true, failures: true, wire: { harness, makeClient } },
    provider: harness.provider,
    model: harness.pricedModel,
    ...(price ? { price } : {}),
    // the wire servers answer 418 ("script exhausted"), which is not retried
    unanswered: { type: ModelHttpError, fields: { status: 418, attempts: 1, retryable: false } },
    async start(script, { budget }) {
      const server = await harness.start({ replies: script.flatMap((call) => wireReplies(harness, call)) });
      const client = makeClient(harness.config(server.baseUrl), {
        budget,
        pricing: harness.pricing,
        sleep: async () => {},
        onWarning: () => {},
        configKey: 'coder',
      });
      return { client, backendCalls: () => server.requests.length, stop: () => server.stop() };
    },
  };
}

/** One reply with every choice when the wire format has `n`; otherwise one reply per choice. */
function wireReplies(harness: ProviderWireHarness, call: ScriptedCall): (WireReply | TextReply)[] {
  const { answer } = call;
  if ('failure' in answer) return [harness.error(answer.failure.status)];
  if (harness.supportsChoices) return [{ text: answer.texts, usage: answer.usage }];
  return answer.texts.map((text) => ({ text, usage: answer.usage }));
}

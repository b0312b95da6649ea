import { createModelClient } from '../../src/models/create-model-client.ts';
import { httpProviderTarget } from '../../src/testing/http-provider-target.ts';
import { describeProviderConformance } from '../../src/testing/provider-conformance.ts';
import { openAiHarness } from '../../src/testing/provider-wire-harness.ts';

describeProviderConformance('openai', httpProviderTarget(openAiHarness, createModelClient));

import { describeProviderScenarios } from './provider-scenarios.ts';
import { openAiHarness } from './provider-harness.ts';

describeProviderScenarios(openAiHarness);

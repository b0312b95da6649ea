import { describeProviderScenarios } from './provider-scenarios.ts';
import { openAiCompatibleHarness } from './provider-harness.ts';

describeProviderScenarios(openAiCompatibleHarness);

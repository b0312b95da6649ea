import { describeProviderScenarios } from './provider-scenarios.ts';
import { anthropicHarness } from './provider-harness.ts';

describeProviderScenarios(anthropicHarness);

import * as refinery from 'refinery';
import { shippedPipelines } from 'refinery/pipelines';
import * as testing from 'refinery/testing';
import { describe, expect, it } from 'vitest';

describe('the package exports map: refinery, refinery/pipelines, refinery/testing', () => {
  it('a library user builds a Refinery from the shipped pipelines through the package names', () => {
    const instance = refinery.createRefinery({ pipelines: shippedPipelines });
    expect(instance.pipelines.names()).toEqual(['best-of-n', 'c2rust', 'codet', 'mokav', 'mutap', 'refine', 'repo']);
    expect(refinery.EXIT_CODES.cancelled).toBe(130);
  });

  it('refinery/testing holds a conformance suite for every seam', () => {
    for (const suite of [
      'describePipelineConformance',
      'describeProviderConformance',
      'describeExecutorConformance',
      'describeMatrixEngineConformance',
    ])
      expect(typeof (testing as Record<string, unknown>)[suite], suite).toBe('function');
  });
});

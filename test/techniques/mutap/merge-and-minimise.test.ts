import { describe, expect, it } from 'vitest';
import { augmentationAsserts, mergeAugmentation } from '../../../src/techniques/mutap/merge-augmentation.ts';
import { minimisedFile, minimiseSuite } from '../../../src/techniques/mutap/minimise-suite.ts';

const IUT = 'def f(x):\n    return x\n\ndef test():\n    assert f(1) == 1\n';

describe('merge', () => {
  it('appends every assert line over 10 characters after each output header, duplicates kept', () => {
    const outputs = [
      'def f(x):\n    assert x  # in the PUT echo\n    return x\n\ndef test():\n    assert f(1) == 1\n    assert f(2) == 2\n',
      'def test():\n    assert f()\n    assert f(4) == 4\n    print(f(5))',
    ];
    expect(augmentationAsserts(outputs[1]!)).toEqual(['assert f(4) == 4']);
    expect(mergeAugmentation(IUT, outputs)).toBe(
      `${IUT}    assert f(1) == 1\n    assert f(2) == 2\n    assert f(4) == 4\n`,
    );
  });

  it('leaves the IUT as it is when no output adds an assert', () => {
    expect(mergeAugmentation(IUT, ['def test():\n    pass\n'])).toBe(IUT);
  });
});

describe('greedy minimisation', () => {
  const sets = [new Set(['a', 'b']), new Set(['c']), new Set(['a', 'b', 'c']), new Set<string>(), new Set(['d', 'a'])];

  it("walks asserts once by count, adding one only when it fails on more mutants (MuTAP's sort-once)", () => {
    expect(minimiseSuite(sets, 'sort-once')).toEqual({ chosen: [2, 4], covered: 4 });
  });

  it('offers the marginal-gain set cover', () => {
    const sets = [new Set(['1', '2', '3', '4', '5']), new Set(['1', '2', '3', '6']), new Set(['6', '7', '8'])];
    // sort-once takes the second by its count although it adds one mutant; set cover takes the third's three.
    expect(minimiseSuite(sets, 'sort-once')).toEqual({ chosen: [0, 1, 2], covered: 8 });
    expect(minimiseSuite(sets, 'set-cover')).toEqual({ chosen: [0, 2], covered: 8 });
  });

  it('writes the PUT and the chosen asserts at module level', () => {
    expect(minimisedFile('def f(x):\n    return x\n', ['assert f(1) == 1', 'assert f(2) == 2'], [1])).toBe(
      'def f(x):\n    return x\n\n\nassert f(2) == 2\n',
    );
  });
});

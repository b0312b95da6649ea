import { type PyValue, pyRepr } from '../../src/techniques/mokav/python-value.ts';

export interface DetTestFile {
  module: string;
  function: string;
  args: PyValue[];
  /** The pinned revision's returned value: its `repr`, and whether that repr reads back as an equal literal. */
  expected: { repr: string; literal: boolean };
  pinned: { name: 'base' | 'head'; revision: string; commit: string };
  other: { revision: string; commit: string; repr: string };
}

/**
 * A ready-to-commit test for one DET: pytest collects it, and `python3 FILE` runs it too (exit 1 on failure). It
 * passes on the pinned revision and fails on the other one. A value whose repr is not a literal is compared by repr.
 */
export function detTestFile(det: DetTestFile): string {
  const name = det.function.replaceAll('.', '_');
  const call = `${det.function.split('.')[0]}`;
  const target = det.function.includes('.') ? `${det.function}` : call;
  const args = det.args.map(pyRepr).join(', ');
  const check = det.expected.literal
    ? `    assert ${target}(${args}) == ${det.expected.repr}`
    : `    assert repr(${target}(${args})) == ${JSON.stringify(det.expected.repr)}`;
  return [
    `# Written by refinery difftest: ${det.module}:${det.function} returns a different value on this input at`,
    `# ${det.pinned.name} ${det.pinned.revision} (${det.pinned.commit.slice(0, 12)}) than at ${det.other.revision} (${det.other.commit.slice(0, 12)}),`,
    `# which returns ${oneLine(det.other.repr)}. It pins the ${det.pinned.name} behaviour: it passes there and fails on the other.`,
    `from ${det.module} import ${call}`,
    '',
    '',
    `def test_${name}_difference():`,
    check,
    '',
    '',
    "if __name__ == '__main__':",
    `    test_${name}_difference()`,
    '',
  ].join('\n');
}

function oneLine(text: string): string {
  const flat = text.replaceAll('\n', '\\n');
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git } from '../../../support/fixture-repos.ts';

/** Boilerplate rules around the buggy function: each ends in the same `    return total` line. */
const RULES = 240;
const BUG_AFTER = 170;

function rule(i: number): string {
  return [
    `def rule_${i}(order):`,
    `    """Rule ${i}: the amount of line ${i}, never negative."""`,
    `    total = order.get("amount_${i}", 0)`,
    '    if total < 0:',
    '        raise ValueError("negative amount")',
    '    return total',
    '',
    '',
  ].join('\n');
}

const BUGGY = [
  'def apply_discount(order, percent):',
  '    """The order total after a discount of `percent` percent."""',
  '    total = order.get("amount", 0)',
  '    if total < 0:',
  '        raise ValueError("negative amount")',
  '    return total',
  '',
  '',
].join('\n');

/** shop/ledger.py: far larger than 24,000 bytes, `apply_discount` ignores its percent. */
export function ledgerSource(): string {
  const parts = ['"""Order ledger rules."""', '', ''];
  for (let i = 0; i < RULES; i++) {
    if (i === BUG_AFTER) parts.push(BUGGY);
    parts.push(rule(i));
  }
  return parts.join('\n');
}

/** 1-based line of `def apply_discount` in ledgerSource(). */
export function discountLine(): number {
  return ledgerSource().split('\n').indexOf('def apply_discount(order, percent):') + 1;
}

export const LEDGER_TEST_CMD = 'python3 -m unittest discover -s tests -t .';

/** A git repository with the ledger package and a unittest suite that fails on the discount. */
export function buildLedgerRepo(dir: string): string {
  const files: Record<string, string> = {
    'README.md': '# shop\n\nOrder ledger.\n',
    'shop/__init__.py': '',
    'shop/ledger.py': ledgerSource(),
    'tests/__init__.py': '',
    'tests/test_ledger.py': [
      'import unittest',
      '',
      'from shop.ledger import apply_discount, rule_3',
      '',
      '',
      'class LedgerTest(unittest.TestCase):',
      '    def test_discount(self):',
      '        self.assertEqual(apply_discount({"amount": 200}, 10), 180)',
      '',
      '    def test_rule(self):',
      '        self.assertEqual(rule_3({"amount_3": 7}), 7)',
      '',
    ].join('\n'),
    '.gitignore': '__pycache__/\n',
  };
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '--quiet', '--initial-branch=main']);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '--quiet', '-m', 'Initial commit']);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

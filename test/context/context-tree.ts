import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A small Python project for the context tests, committed in a temporary git repository: a large module
 * (over 24,000 bytes) whose one function `parse_duration` the tasks are about, a few small modules, tests,
 * a binary file and a `.py` file that is not Python.
 */
export function contextTree(): { work: string; repo: string } {
  const work = mkdtempSync(join(tmpdir(), 'refinery-context-'));
  const repo = join(work, 'repo');
  const helpers = Array.from(
    { length: 240 },
    (_, i) =>
      `def helper_${i}(value):\n    """Helper number ${i} for formatting records."""\n    total = value + ${i}\n    return str(total).rjust(${i % 7})\n`,
  ).join('\n\n');
  const files: Record<string, string> = {
    'timekit/units.py': [
      '"""Units and conversions."""',
      '',
      helpers,
      '',
      'def parse_duration(text):',
      '    """Parse "1h30m" into seconds; minutes are wrongly counted as hours."""',
      '    hours, _, rest = text.partition("h")',
      '    minutes = rest.rstrip("m") or "0"',
      '    return int(hours) * 3600 + int(minutes) * 3600',
      '',
      'class Clock:',
      '    def __init__(self, start):',
      '        self.start = start',
      '',
      '    def elapsed(self, now):',
      '        return now - self.start',
      '',
    ].join('\n'),
    'timekit/__init__.py': 'from .units import parse_duration, Clock\n',
    'timekit/report.py':
      'from .units import parse_duration\n\ndef summarize(entries):\n    return sum(parse_duration(e) for e in entries)\n',
    'timekit/colors.py': 'def shade(name):\n    return {"red": 1, "blue": 2}.get(name, 0)\n',
    'tests/test_units.py':
      'from timekit.units import parse_duration\n\ndef test_minutes():\n    assert parse_duration("1h30m") == 5400\n',
    'README.md': '# timekit\n\nTime helpers.\n',
    'logo.png': '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR duration minutes',
    'notes/garbage.py': '@@@ ))) duration ((( minutes ### not python at all <<<\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init');
  return { work, repo };
}

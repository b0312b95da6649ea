import { UNLABELLED } from './compare-mutant-sets.ts';
import type { MutantMatchReport, UnmatchedMutant } from './measure-mutant-match.ts';

function percent(numerator: number, denominator: number): string {
  return denominator === 0 ? '-' : `${((100 * numerator) / denominator).toFixed(1)}%`;
}

/**
 * The operator-match table of a MutantMatchReport as text: per operator released / matched / missing / extra and
 * the match rate, the totals (over all released mutants, and over the labelled ones only), how code was
 * normalised, then each missing and extra mutant by task and line.
 */
export function formatMutantMatchTable(report: MutantMatchReport): string {
  const { total } = report;
  const operators = Object.keys(total.byOperator).sort((a, b) => {
    if (a === UNLABELLED || b === UNLABELLED) return a === UNLABELLED ? 1 : -1;
    return (total.byOperator[b]?.released ?? 0) - (total.byOperator[a]?.released ?? 0) || a.localeCompare(b);
  });
  const header = ['operator', 'released', 'matched', 'missing', 'extra', 'match'];
  const rows = operators.map((operator) => {
    const row = total.byOperator[operator] ?? { released: 0, matched: 0, missing: 0, extra: 0 };
    return [operator, row.released, row.matched, row.missing, row.extra, percent(row.matched, row.released)];
  });
  const extraTotal = total.extra.length;
  rows.push([
    'total',
    total.released,
    total.matched,
    total.released - total.matched,
    extraTotal,
    percent(total.matched, total.released),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) =>
    cells
      .map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i] ?? 0) : String(cell).padStart(widths[i] ?? 0)))
      .join('  ');
  const unlabelled = total.byOperator[UNLABELLED] ?? { released: 0, matched: 0 };
  const labelledReleased = total.released - unlabelled.released;
  const labelledMatched = total.matched - unlabelled.matched;
  const failed = report.tasks.filter((t) => t.error !== undefined);
  const out = [
    `mutant match: ${report.tasks.length} PUTs, operators ${report.operators.join(' ')}`,
    `normalised code equality: ${report.normalisation}`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `match rate: ${total.matched}/${total.released} = ${percent(total.matched, total.released)} of the released mutants; ` +
      `${labelledMatched}/${labelledReleased} = ${percent(labelledMatched, labelledReleased)} of those with an operator label`,
    `generated: ${total.generated} mutants, ${extraTotal} of them not released`,
  ];
  if (total.relabelled.length > 0) out.push(`matched under another operator: ${total.relabelled.length}`);
  for (const task of failed) out.push(`task ${task.task}: ${task.error}`);
  const list = (title: string, mutants: UnmatchedMutant[]) => {
    if (mutants.length === 0) return;
    out.push('', `${title} (${mutants.length}):`);
    for (const m of mutants) {
      out.push(
        `  task ${m.task}  ${m.operator.padEnd(widths[0] ?? 0)}  line ${m.line}${m.name ? ` (${m.name})` : ''}: ${m.text}`,
      );
    }
  };
  list('missing: released, not generated', report.missing);
  list('extra: generated, not released', report.extra);
  return `${out.join('\n')}\n`;
}

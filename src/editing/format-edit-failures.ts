import { fenceText } from '../text/markdown-fences.ts';
import { ANCHOR_TOLERANCE_LINES } from './apply-edit-to-text.ts';
import type { EditFailure } from './edit-failure.ts';

/** Plain-text report of failed blocks, written for the model that produced them. */
export function formatEditFailures(failures: EditFailure[], appliedCount: number): string {
  if (failures.length === 0) return '';
  const parts = failures.map(describeFailure);
  const tail =
    appliedCount > 0
      ? `The other ${appliedCount} block(s) were applied; resend only the failed ones, with SEARCH copied exactly from the current file.`
      : 'No block was applied; resend them with SEARCH copied exactly from the current file.';
  return `${failures.length} edit block(s) failed:\n\n${parts.join('\n\n')}\n\n${tail}`;
}

/** One failed block, for the model: what went wrong and what to send instead. */
function describeFailure(f: EditFailure): string {
  const head = `${f.block.path} (block at reply line ${f.block.replyLine}): `;
  switch (f.kind) {
    case 'no-match': {
      if (!f.closest) return `${head}SEARCH text not found, and the file has nothing similar.`;
      const c = f.closest;
      const why = c.whitespaceOnly
        ? 'differs from your SEARCH only in whitespace/indentation'
        : `is the closest match (similarity ${c.similarity})`;
      const where = c.startLine === c.endLine ? `Line ${c.startLine}` : `Lines ${c.startLine}-${c.endLine}`;
      const anchored = f.anchorLine !== undefined ? ` (looked for near line ${f.anchorLine}, as the block said)` : '';
      return `${head}SEARCH text not found exactly${anchored}. ${where} ${why}:\n${fenceText(`${c.text}\n`)}`;
    }
    case 'ambiguous':
      if (f.anchorLine !== undefined)
        return `${head}SEARCH text occurs ${f.lines.length} times (starting at lines ${f.lines.join(', ')}) and none is the one nearest line ${f.anchorLine} within ${ANCHOR_TOLERANCE_LINES} lines; give the line where your SEARCH starts ('<<<<<<< SEARCH line N') or include more surrounding lines.`;
      return `${head}SEARCH text occurs ${f.lines.length} times (starting at lines ${f.lines.join(', ')}); include more surrounding lines so it matches once, or give the line where it starts ('<<<<<<< SEARCH line N').`;
    case 'file-missing':
      return `${head}file does not exist. To create it, use an empty SEARCH section.`;
    case 'file-exists':
      return `${head}empty SEARCH only creates new files, and this file exists and is not empty.`;
    case 'unsafe-path':
      return `${head}${f.detail}.`;
  }
}

import type { EditBlock } from '../../src/editing/edit-block.ts';
import { EditParseError } from '../../src/editing/edit-parse-error.ts';
import { parseEditBlocks } from '../../src/editing/parse-edit-blocks.ts';

/** The coder's blocks, or the parse problem to send back to it. */
export function parseRepoEdits(reply: string): { blocks: EditBlock[]; problem?: string } {
  try {
    const blocks = parseEditBlocks(reply);
    if (blocks.length === 0)
      return { blocks, problem: 'Your reply contained no SEARCH/REPLACE blocks, so nothing changed.' };
    return { blocks };
  } catch (error) {
    if (error instanceof EditParseError)
      return { blocks: [], problem: `Your reply could not be read: ${error.message}. Nothing was applied.` };
    throw error;
  }
}

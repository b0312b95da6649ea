import type { EditBlock } from '../../src/editing/edit-block.ts';
import { parseEditBlocks } from '../../src/editing/parse-edit-blocks.ts';

const TEST_PATH = /test|spec/i;

/** The tester's blocks, split into those it may apply (test files) and those it may not. */
export function parseRepoTests(reply: string): { allowed: EditBlock[]; refused: EditBlock[] } {
  const blocks = parseEditBlocks(reply);
  return {
    allowed: blocks.filter((b) => TEST_PATH.test(b.path)),
    refused: blocks.filter((b) => !TEST_PATH.test(b.path)),
  };
}

import { parseFencedBlocks } from '../../src/text/markdown-fences.ts';

/** The closing tag of the few-shot format (MuTAP's stop sequence). */
export const TEST_END_TAG = '#</test>';
const HEADER = 'def test():';

/**
 * The test body in a tester reply: what follows `def test():` in the saved test file. A completion model continues
 * the prompt's open test function, so its reply is the body itself; a chat model usually repeats the header, often
 * inside a code fence. Rules: the first Python (or untagged) fence that holds the header when there is one, else the
 * whole reply; cut at the closing test tag; the text after the first header when there is one. The released files
 * keep everything after the header, so nothing else is dropped here: the syntax fix and the oracle fix do the rest.
 */
export function parseTestReply(reply: string): string {
  const fenced = parseFencedBlocks(reply).find(
    (block) => ['', 'python', 'py', 'python3'].includes(block.language) && block.content.includes(HEADER),
  );
  let text = fenced ? fenced.content : reply;
  const end = text.indexOf(TEST_END_TAG);
  if (end >= 0) text = text.slice(0, end);
  const at = text.indexOf(HEADER);
  if (at >= 0) text = text.slice(at + HEADER.length).replace(/^[^\S\n]*\n/, '');
  return text;
}

/** The file MuTAP saves for a reply: the PUT, a line end, the test header, the body (techniques §3.2 stage 1). */
export function testFileFor(put: string, body: string): string {
  return `${put}\n${HEADER}\n${body}`;
}

/** The text of a syntax-repair reply that is appended to the file (its code block when it has one, left-trimmed). */
export function parseRepairReply(reply: string): string {
  const block = parseFencedBlocks(reply)[0];
  return (block ? block.content : reply).trimStart();
}

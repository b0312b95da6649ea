import type { ClosestMatch } from './closest-match.ts';
import type { EditBlock } from './edit-block.ts';

/** Why one block was not applied. Reported back to the model verbatim; nothing is guessed. */
export type EditFailureReason =
  | { kind: 'no-match'; closest?: ClosestMatch | undefined; anchorLine?: number }
  | { kind: 'ambiguous'; lines: number[]; anchorLine?: number }
  | { kind: 'file-missing' }
  | { kind: 'file-exists' }
  | { kind: 'unsafe-path'; detail: string };

export type EditFailure = { block: EditBlock } & EditFailureReason;

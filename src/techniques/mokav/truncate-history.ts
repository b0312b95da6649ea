/** One earlier round of the tester's chat: its user message and the first reply of its round only. */
export interface ChatTurn {
  user: string;
  reply: string;
}

/** Mokav's limit on the joined message texts (techniques §2.4 step 6). */
export const HISTORY_CHAR_LIMIT = 39_000;

/**
 * The turns to send: while the message texts joined with "\n" (system, each turn's user message and reply, the new
 * message) exceed `limit` characters, the oldest turn after the first user/assistant pair is dropped. The first
 * turn (the initial prompt and its first reply) always stays.
 */
export function truncateHistory(
  system: string,
  turns: readonly ChatTurn[],
  message: string,
  limit: number = HISTORY_CHAR_LIMIT,
): ChatTurn[] {
  const kept = [...turns];
  const length = () => {
    const texts = [system, ...kept.flatMap((turn) => [turn.user, turn.reply]), message];
    return texts.reduce((sum, text) => sum + text.length, 0) + texts.length - 1;
  };
  while (kept.length > 1 && length() > limit) kept.splice(1, 1);
  return kept;
}

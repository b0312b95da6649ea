import type { ParsedTrajectory } from './trajectory-reader.ts';

/** Every model reply text a trajectory holds, by agent, in call order (n samples of a call in order). */
export function recordedReplies(trajectory: ParsedTrajectory): Record<string, string[]> {
  const replies: Record<string, string[]> = {};
  for (const event of trajectory.events) {
    if (event.type !== 'model_call') continue;
    const texts = replies[event.request.agent] ?? [];
    texts.push(...event.reply.texts);
    replies[event.request.agent] = texts;
  }
  return replies;
}

/** The critic's reply becomes the coder's feedback as is; an empty reply gives no feedback. */
export function parseRepoCritique(reply: string): string {
  return reply.trim();
}

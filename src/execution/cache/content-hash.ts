import { createHash } from 'node:crypto';

/** sha256 (hex) of the parts, each length-prefixed so no two different part lists hash alike. */
export function contentHash(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(`${Buffer.byteLength(part)}:`);
    hash.update(part);
  }
  return hash.digest('hex');
}

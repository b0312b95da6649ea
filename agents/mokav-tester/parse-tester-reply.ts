import {
  type ParsedCandidate,
  parseCandidateInput,
  type ReplyFormat,
} from '../../src/techniques/mokav/parse-candidate-input.ts';

/** A tester reply as a candidate input (techniques §2.4 step 3); a reply that does not parse is counted, not run. */
export function parseTesterReply(reply: string, format: ReplyFormat): ParsedCandidate {
  return parseCandidateInput(reply, format);
}

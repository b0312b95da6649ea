/** One search/replace edit as the coder wrote it. An empty `search` creates `path`. */
export interface EditBlock {
  path: string;
  search: string;
  replace: string;
  /** 1-based line of the `<<<<<<< SEARCH` marker in the reply, for error messages. */
  replyLine: number;
}

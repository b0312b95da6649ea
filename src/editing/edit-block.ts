/** One search/replace edit as the coder wrote it. An empty `search` creates `path`. */
export interface EditBlock {
  path: string;
  search: string;
  replace: string;
  /** 1-based line of the `<<<<<<< SEARCH` marker in the reply, for error messages. */
  replyLine: number;
  /**
   * Where SEARCH starts (1-based) in the file as the model saw it: from `<<<<<<< SEARCH line N` or from line
   * numbers copied with the SEARCH lines (see line-anchor.ts). Chooses among several occurrences.
   */
  anchorLine?: number;
}

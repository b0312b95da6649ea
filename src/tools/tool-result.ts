/** What a tool call returns to the model. A failure is a result too (`isError`), never a thrown error. */
export interface ToolResult {
  content: string;
  isError: boolean;
}

export const toolError = (content: string): ToolResult => ({ content: `error: ${content}`, isError: true });
export const toolOk = (content: string): ToolResult => ({ content, isError: false });

/** Lines as the tools show them: `<number>| <text>`, numbers right-aligned to the widest in the file. */
export function numberedLines(lines: readonly string[], firstLine: number, lastLineOfFile: number): string {
  const width = String(lastLineOfFile).length;
  return lines.map((line, i) => `${String(firstLine + i).padStart(width)}| ${line}`).join('\n');
}

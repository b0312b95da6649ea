/** `{{placeholders}}` of the tester's prompt files (initial-*.md, augment-*.md, repair.md). */
export function initialPromptVars(put: string): Record<string, string> {
  return { put: put.trimEnd() };
}

/** One augmentation prompt: the current test file (PUT + test function) and the full source of one survivor. */
export function augmentPromptVars(testFile: string, mutant: string): Record<string, string> {
  return { test_file: testFile.trimEnd(), mutant: mutant.trimEnd() };
}

export function repairPromptVars(testFile: string): Record<string, string> {
  return { test_file: testFile.trimEnd() };
}

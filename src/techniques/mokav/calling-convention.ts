import { isSequence, type PyValue, sequenceItems } from './python-value.ts';

/**
 * Mokav's calling convention (techniques §2.2): a string holding "\n" is split on "\n" only (a "\r" stays, a
 * trailing newline gives an empty last argument), each line one positional argument; a list or tuple is
 * star-expanded (QuixBugs); a string without "\n" or a dict is one argument. The arguments are data, never pasted
 * into source.
 *
 * A number, a boolean or None cannot be made into arguments: Mokav's harness tests `"\n" in x` first, which raises
 * on them, and logs HARNESS_EXCEPTION (the QuixBugs run's `{'inputdata': 15}`). `null` here; `scalars: 'one-argument'`
 * passes them as one argument instead (difftest).
 */
export function callArguments(
  input: PyValue,
  options: { scalars: 'harness-exception' | 'one-argument' } = { scalars: 'harness-exception' },
): PyValue[] | null {
  if (typeof input === 'string') return input.includes('\n') ? input.split('\n') : [input];
  if (isSequence(input)) return [...sequenceItems(input)];
  const container = typeof input === 'object' && input !== null && ('__dict__' in input || '__set__' in input);
  if (container || options.scalars === 'one-argument') return [input];
  return null;
}

import { normaliseLayout } from './compare-mutant-sets.ts';
import { type HelperOptions, runMutationHelper } from './run-mutation-helper.ts';

/**
 * The normaliser of Refinery's mutant-match figures: `ast.unparse(ast.parse(source))` (Python's own printer, so
 * layout, parentheses that change nothing and quote style are equated), computed for `sources` in one helper
 * process. A source that does not parse (a released mutant rebuilt badly) is normalised by layout only
 * (normaliseLayout), prefixed so it can never equal a parsed one; a source not given here is normalised by
 * layout too.
 */
export async function createPythonNormaliser(
  sources: Iterable<string>,
  options: HelperOptions = {},
): Promise<(source: string) => string> {
  const distinct = [...new Set(sources)];
  const results = await runMutationHelper({ op: 'normalise', sources: distinct }, options);
  const normalised = new Map<string, string>();
  distinct.forEach((source, i) => {
    const result = results[i];
    normalised.set(source, result?.ok ? result.normalised : `# does not parse\n${normaliseLayout(source)}`);
  });
  return (source) => normalised.get(source) ?? `# not normalised\n${normaliseLayout(source)}`;
}

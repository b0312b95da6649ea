/**
 * Recorded model outputs, looked up by the request's agent and record key (usually a task id).
 * `samplesFor` returns undefined for a key it does not know.
 */
export interface SampleSource {
  /** For error messages: where the samples came from (file paths). */
  readonly label: string;
  samplesFor(agent: string, key: string): readonly string[] | undefined;
}

/** One recording for every agent: key → samples. */
export function sampleSourceFromMap(label: string, samples: ReadonlyMap<string, readonly string[]>): SampleSource {
  return { label, samplesFor: (_agent, key) => samples.get(key) };
}

/** A different recording per agent (e.g. coder → solutions file, tester → tests file). */
export function sampleSourceByAgent(sources: Readonly<Record<string, SampleSource>>): SampleSource {
  const label = Object.entries(sources)
    .map(([agent, source]) => `${agent}: ${source.label}`)
    .join('; ');
  return {
    label,
    samplesFor: (agent, key) => (Object.hasOwn(sources, agent) ? sources[agent]!.samplesFor(agent, key) : undefined),
  };
}

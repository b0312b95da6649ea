import type { Refinery } from '../runtime/create-refinery.ts';

/** `refinery --help`: the spine's commands, then the commands each registered pipeline brings. */
export function usage(refinery: Refinery): string {
  const pipelineCommands = refinery.pipelines
    .all()
    .flatMap((p) => (p.commands ?? []).map((c) => `  refinery ${c.verb} ${p.name} [--help]`.padEnd(44) + c.summary));
  return `refinery: agents that loop on execution feedback

Usage:
  refinery run CONFIG --task FILE [--set key.path=value]... [--quiet | --json] [--trajectory PATH]
  refinery run configs/repo.yaml --repo PATH --task TEXT|@FILE --test-cmd CMD
  refinery replay TRAJECTORY [--exec live|recorded] [--on-divergence stop|live] [--quiet | --json]
  refinery validate CONFIG [--set key.path=value]... [--print]
  refinery schema [--markdown]
  refinery exec --lang python|javascript|c|rust FILE [--stdin FILE] [--timeout S] [--memory MB] [--sandbox auto|bwrap|none] [--json]
  refinery undo RUN_ID [--repo PATH]
${pipelineCommands.join('\n')}

Pipelines: ${refinery.pipelines.names().join(', ')}

Exit codes: 0 passed, 1 failed, 2 bad input, 3 error, 10 exhausted:iterations, 11 exhausted:tokens,
12 exhausted:cost, 13 exhausted:time, 14 exhausted:calls, 20 diverged (replay), 130 cancelled.
`;
}

export const USAGE = `refinery: agents that loop on execution feedback

Usage:
  refinery run CONFIG --task FILE [--set key.path=value]... [--quiet | --json] [--trajectory PATH]
  refinery run configs/repo.yaml --repo PATH --task TEXT|@FILE --test-cmd CMD
  refinery replay TRAJECTORY [--exec live|recorded] [--on-divergence stop|live] [--quiet | --json]
  refinery validate CONFIG [--set key.path=value]...
  refinery schema
  refinery exec --lang python|javascript|c|rust FILE [--stdin FILE] [--timeout S] [--memory MB] [--json]
  refinery bench codet [--problems FILE] [--solutions FILE] [--tests FILE] [--tasks ID,...] [--concurrency N] [--out DIR] [--json]
  refinery undo RUN_ID [--repo PATH]

Exit codes: 0 passed, 1 failed, 2 bad input, 3 error, 10 exhausted:iterations, 11 exhausted:tokens,
12 exhausted:cost, 13 exhausted:time, 14 exhausted:calls, 20 diverged (replay).
`;

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TrajectoryEvent } from '../../src/trajectory/trajectory-events.ts';

const FIXTURE = fileURLToPath(new URL('../../fixtures/trajectories/refine-running-max.jsonl', import.meta.url));

/**
 * A long trajectory made from the shipped refine run: its repair round (critic, coder, execute, each with its
 * budget event) repeated, renumbered (seq, step, call) and with totals that grow, until it has at least
 * `minEvents` events; the coder's prompt names the round, so consecutive calls differ. Valid for the reader.
 */
export function writeLongTrajectory(path: string, minEvents: number): number {
  const events = readFileSync(FIXTURE, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TrajectoryEvent);
  const firstRound = events.findIndex((e) => e.type === 'node_enter' && e.node === 'critic');
  const roundEnd = events.findIndex((e, i) => i > firstRound && e.type === 'node_enter' && e.node === 'hidden_tests');
  const prefix = events.slice(0, firstRound);
  const round = events.slice(firstRound, roundEnd);
  const final = events.at(-1) as Extract<TrajectoryEvent, { type: 'final' }>;
  const roundSteps = new Set(round.flatMap((e) => ('step' in e ? [e.step] : []))).size;
  const lastBudget = round.map((e) => e.type).lastIndexOf('budget');
  const out: TrajectoryEvent[] = [...prefix];
  let last = [...prefix].reverse().find((e) => e.type === 'budget') as Extract<TrajectoryEvent, { type: 'budget' }>;
  let call = prefix.filter((e) => e.type === 'model_call').length;
  const start = Date.parse(events[0]!.at);
  for (let k = 0; out.length + 1 < minEvents || k === 0; k++) {
    for (const [i, event] of round.entries()) {
      const copy = structuredClone(event) as TrajectoryEvent & { step?: number };
      copy.seq = out.length;
      copy.at = new Date(start + out.length * 7).toISOString();
      if (typeof copy.step === 'number') copy.step += k * roundSteps;
      if (copy.type === 'model_call') {
        copy.call = call++;
        const message = copy.request.messages.at(-1)!;
        message.content = `${message.content}\n(repair round ${k + 1})`;
      }
      if (copy.type === 'budget') {
        const t = last.totals;
        copy.totals = {
          iterations: t.iterations + (i === lastBudget ? 1 : 0),
          modelCalls: call,
          inputTokens: t.inputTokens + 200,
          outputTokens: t.outputTokens + 40,
          costUsd: t.costUsd + 0.0001,
          wallMs: t.wallMs + 50,
        };
        last = copy;
      }
      out.push(copy);
    }
  }
  out.push({ ...final, seq: out.length, at: new Date(start + out.length * 7).toISOString(), totals: last.totals });
  writeFileSync(path, `${out.map((e) => JSON.stringify(e)).join('\n')}\n`);
  return out.length;
}

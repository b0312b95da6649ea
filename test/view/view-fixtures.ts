import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TrajectoryEvent } from '../../src/trajectory/trajectory-events.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** The trajectories Refinery ships: every one gets a view in the tests. */
export const SHIPPED_TRAJECTORIES = [
  'fixtures/trajectories/refine-running-max.jsonl',
  'fixtures/repo/python-stats.jsonl',
  'fixtures/repo/javascript-slug.jsonl',
].map((path) => resolve(REPO_ROOT, path));
export const REFINE_RUN = SHIPPED_TRAJECTORIES[0]!;

export function readEvents(path: string): TrajectoryEvent[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TrajectoryEvent);
}

export function writeEvents(path: string, events: TrajectoryEvent[]): string {
  writeFileSync(path, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  return path;
}

export interface EditedCall {
  path: string;
  /** The model call edited: its `call` ordinal, its agent, and the step of the node it ran in. */
  call: number;
  agent: string;
  step: number;
  removed: string;
  added: string;
}

/**
 * The refine run as it would have gone with another version of one prompt: the last model call of the agent
 * that is called twice gets one line of its prompt replaced (and a different reply). The rest is unchanged.
 */
export function withEditedPrompt(source: string, target: string): EditedCall {
  const events = readEvents(source);
  const calls = events.filter((e) => e.type === 'model_call');
  const agent = calls.find((c, i) => calls.findIndex((d) => d.request.agent === c.request.agent) !== i)!.request.agent;
  const edited = calls.filter((c) => c.request.agent === agent).at(-1)!;
  const message = edited.request.messages.at(-1)!;
  const lines = message.content.split('\n');
  const at = lines.findIndex((l) => l.trim().length > 10);
  const removed = lines[at]!;
  const added = `${removed} (prompt version 2)`;
  lines[at] = added;
  message.content = lines.join('\n');
  edited.reply.texts = edited.reply.texts.map((t) => `${t}\n# version 2`);
  const index = events.indexOf(edited);
  const enter = events
    .slice(0, index)
    .reverse()
    .find((e) => e.type === 'node_enter' && e.node === edited.node) as Extract<TrajectoryEvent, { type: 'node_enter' }>;
  writeEvents(target, events);
  return { path: target, call: edited.call, agent, step: enter.step, removed, added };
}

/** The first `events` lines of a trajectory plus half of the next one: what a run killed mid-write leaves. */
export function killedPrefix(source: string, target: string, events: number): string {
  const lines = readFileSync(source, 'utf8').split('\n');
  const torn = lines[events]!.slice(0, Math.floor(lines[events]!.length / 2));
  writeFileSync(target, `${lines.slice(0, events).join('\n')}\n${torn}`);
  return target;
}

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoPipeline } from '../../graphs/repo/index.ts';
import { runLightCommand } from '../../src/cli/light-commands.ts';
import { main } from '../../src/cli/main.ts';
import { createRefinery } from '../../src/runtime/create-refinery.ts';
import { captureOutput } from '../support/capture-output.ts';
import { contextTree } from './context-tree.ts';

let work: string;
let repo: string;
beforeAll(() => {
  ({ work, repo } = contextTree());
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const refinery = createRefinery({ pipelines: [repoPipeline] });

/** A loader of the pipelines that counts its calls. */
function counted() {
  const calls = { n: 0 };
  return {
    calls,
    load: async () => {
      calls.n++;
      return refinery;
    },
  };
}

describe('refinery context loaded on its own (src/cli/light-commands.ts)', () => {
  it('prints what the full command line prints, without loading the pipelines', async () => {
    const argv = ['context', '--repo', repo, '--task', 'parse_duration counts minutes as hours', '--json'];
    const { calls, load } = counted();
    const light = await captureOutput(async () => (await runLightCommand(argv, load)) ?? -1);
    const full = await captureOutput(() => main(argv, refinery));
    expect(light.code).toBe(0);
    expect(JSON.parse(light.stdout).files).toEqual(JSON.parse(full.stdout).files);
    expect(light.stdout).toBe(full.stdout);
    expect(calls.n).toBe(0);
  });

  it('has the same help and the same usage errors as in the full table', async () => {
    for (const argv of [
      ['context', '--help'],
      ['context', '--repo', repo],
      ['context', '--repo', join(work, 'nope'), '--task', 'x'],
    ]) {
      const light = await captureOutput(async () => (await runLightCommand(argv, counted().load)) ?? -1);
      const full = await captureOutput(() => main(argv, refinery));
      expect(light).toEqual(full);
    }
  });

  it('loads the pipelines for --config only, to check the config', async () => {
    const { calls, load } = counted();
    const argv = ['context', '--repo', repo, '--task', 'parse_duration', '--config', 'configs/repo.yaml', '--json'];
    const { code, stdout } = await captureOutput(async () => (await runLightCommand(argv, load)) ?? -1);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).budget).toEqual({ fileChars: 48_000, mapChars: 4_000 });
    expect(calls.n).toBe(1);
  });

  it('leaves every other verb to the full command line', async () => {
    for (const argv of [[], ['run', 'configs/repo.yaml'], ['constructor'], ['--help'], ['help', 'context']])
      expect(await runLightCommand(argv, counted().load)).toBeUndefined();
  });
});

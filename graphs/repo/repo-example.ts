import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/runtime/package-root.ts';
import type { PipelineExample } from '../../src/runtime/pipeline-example.ts';
import { recordedReplies } from '../../src/trajectory/recorded-replies.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import type { RepoTask } from './repo-task.ts';

const FIXTURES = join(PACKAGE_ROOT, 'fixtures/repo/');

/**
 * The python-stats repository (shipped as a git bundle: `mean` divides by len - 1), cloned into the scratch
 * directory, with the task and replies of the shipped trajectory fixtures/repo/python-stats.jsonl.
 */
export const repoExample: PipelineExample = {
  prepare(scratchDir) {
    const repo = join(scratchDir, 'python-stats');
    execFileSync('git', ['clone', '--quiet', `${FIXTURES}python-stats.bundle`, repo], { stdio: 'ignore' });
    const trajectory = readTrajectory(`${FIXTURES}python-stats.jsonl`);
    const task = { ...(trajectory.header.task as RepoTask), repo };
    return { config: 'configs/repo.yaml', task, replies: recordedReplies(trajectory) };
  },
};

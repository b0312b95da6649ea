import { type SimpleGit, simpleGit } from 'simple-git';

export const REFINERY_IDENTITY = { name: 'Refinery', email: 'refinery@localhost' };

const IDENTITY_ENV = {
  GIT_AUTHOR_NAME: REFINERY_IDENTITY.name,
  GIT_AUTHOR_EMAIL: REFINERY_IDENTITY.email,
  GIT_COMMITTER_NAME: REFINERY_IDENTITY.name,
  GIT_COMMITTER_EMAIL: REFINERY_IDENTITY.email,
};

const ALLOWED_ENV = [
  ...Object.keys(IDENTITY_ENV),
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_DATE',
  'GIT_CONFIG_GLOBAL',
  'GIT_CONFIG_NOSYSTEM',
];

/**
 * A simple-git instance for Refinery's own git commands: no hooks (the user's hooks must not run, and
 * they would make trees depend on the machine), no signing, no global or system config (so trees do not
 * depend on the user's ~/.gitconfig), and a fixed identity. Ambient GIT_* variables are dropped.
 */
export function workspaceGit(baseDir: string, dates?: { unixSeconds: number }): SimpleGit {
  const git = simpleGit({
    baseDir,
    config: ['core.hooksPath=/dev/null', 'commit.gpgsign=false', 'core.fsmonitor=false'],
    unsafe: { allowUnsafeHooksPath: true, allowUnsafeFsMonitor: true, allowUnsafeConfigPaths: true },
    allowEnvironment: ALLOWED_ENV,
  });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/',
    LANG: 'C',
    LC_ALL: 'C',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    ...IDENTITY_ENV,
  };
  if (dates) {
    env.GIT_AUTHOR_DATE = `${dates.unixSeconds} +0000`;
    env.GIT_COMMITTER_DATE = `${dates.unixSeconds} +0000`;
  }
  return git.env(env);
}

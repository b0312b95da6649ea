import { afterEach, describe, expect, it } from 'vitest';
import { executionConfigSchema } from '../../src/config/pipeline-config-schema.ts';
import { defaultLimits, limitsFromConfig, mergeLimits } from '../../src/execution/execution-limits.ts';
import { rlimitCommand } from '../../src/execution/process/rlimit-command.ts';
import { sandboxEnvironment } from '../../src/execution/process/sandbox-environment.ts';
import { bubblewrapCommand, resolveSandboxMode, sandboxCommand } from '../../src/execution/sandbox/sandbox-command.ts';

describe('limits', () => {
  it('limitsFromConfig follows the config schema, with the CPU limit defaulting to the wall limit', () => {
    const limits = limitsFromConfig(executionConfigSchema.parse({ timeoutSec: 2.5, memoryMb: 512 }));
    expect(limits).toEqual({ ...defaultLimits, wallMs: 2500, cpuMs: 2500, memoryMb: 512 });
    expect(limitsFromConfig(executionConfigSchema.parse({ timeoutSec: 2, cpuSec: 1 })).cpuMs).toBe(1000);
  });

  it('mergeLimits: later layers win, undefined entries do not erase, a new wall limit drags the CPU limit', () => {
    const merged = mergeLimits(defaultLimits, { memoryMb: 100, wallMs: undefined }, { wallMs: 300 });
    expect(merged).toEqual({ ...defaultLimits, memoryMb: 100, wallMs: 300, cpuMs: 300 });
    expect(mergeLimits(defaultLimits, { wallMs: 300, cpuMs: 5000 }).cpuMs).toBe(5000);
  });
});

describe('rlimitCommand', () => {
  it('sets address space, processes, file size and CPU (soft, hard = soft + 1 s) before exec', () => {
    const argv = rlimitCommand({ ...defaultLimits, memoryMb: 256, processes: 8, fileSizeMb: 1, cpuMs: 1500 }, [
      'prog',
      'arg',
    ]);
    expect(argv.slice(-3)).toEqual(['--', 'prog', 'arg']);
    expect(argv).toEqual(
      expect.arrayContaining([`--as=${256 * 1024 * 1024}`, '--nproc=8', `--fsize=${1024 * 1024}`, '--cpu=2:3']),
    );
  });
});

describe('sandboxEnvironment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('passes only the allow-list and non-secret extras', () => {
    process.env.OPENAI_API_KEY = 'sk-x';
    process.env.SOMETHING_ELSE = 'y';
    const env = sandboxEnvironment('/w', {
      pathPrefix: ['/opt/py/bin'],
      extra: { CARGO_HOME: '/w/.c', GH_TOKEN: 't', MY_SECRET_THING: 's' },
    });
    expect(Object.keys(env).sort()).toEqual(
      ['CARGO_HOME', 'HOME', 'LANG', 'PATH', 'TMPDIR', ...(process.env.LC_ALL ? ['LC_ALL'] : [])].sort(),
    );
    expect(env.HOME).toBe('/w');
    expect(env.TMPDIR).toBe('/w');
    expect(env.PATH?.startsWith('/opt/py/bin:')).toBe(true);
  });
});

// Argument building is pure: none of these tests looks for a bwrap binary, so they run the same on any machine.
describe('bubblewrapCommand', () => {
  it('re-binds hidden toolchains read-only over traversable parents and drops to the run uid without a user namespace', () => {
    const cmd = bubblewrapCommand(['python3', 'main.py'], {
      workdir: '/tmp/refinery-exec-a/work',
      readOnlyBinds: ['/root/.pyenv/versions/3.11.7'],
      dropPrivileges: { uid: 1234567, gid: 1234567 },
    });
    const args = cmd.args.join(' ');
    expect(cmd.file).toBe('bwrap');
    expect(cmd.mode).toBe('bwrap');
    expect(args).toContain('--perms 0755 --dir /root/.pyenv ');
    expect(args.indexOf('--dir /root/.pyenv ')).toBeLessThan(args.indexOf('--dir /root/.pyenv/versions '));
    expect(args).toContain('--perms 0755 --dir /tmp/refinery-exec-a');
    expect(args.indexOf('--tmpfs /root')).toBeLessThan(args.indexOf('--ro-bind /root/.pyenv/versions/3.11.7'));
    expect(args).toContain('--unshare-net');
    expect(args).not.toContain('--unshare-all');
    expect(args.endsWith('-- setpriv --reuid=1234567 --regid=1234567 --clear-groups -- python3 main.py')).toBe(true);
  });

  it('without a uid to drop to keeps --unshare-all', () => {
    const cmd = bubblewrapCommand(['true'], { workdir: '/tmp/w' });
    expect(cmd.args).toContain('--unshare-all');
    expect(cmd.args).not.toContain('--share-net');
    expect(cmd.args.slice(-2)).toEqual(['--', 'true']);
  });

  it('shares the network only when asked, and binds extra writable directories', () => {
    const cmd = bubblewrapCommand(['true'], { workdir: '/tmp/w', network: true, extraWritable: ['/tmp/cache/x'] });
    const args = cmd.args.join(' ');
    expect(args).toContain('--unshare-all --share-net');
    expect(args).toContain('--bind /tmp/cache/x /tmp/cache/x');
    expect(args).toContain('--perms 0755 --dir /tmp/cache ');
  });
});

describe('sandbox mode, with the bubblewrap probe injected', () => {
  const present = () => true;
  const absent = () => false;

  it("'auto' follows the probe, 'none' never asks it, 'bwrap' without bubblewrap is refused", () => {
    expect(resolveSandboxMode('auto', present)).toBe('bwrap');
    expect(resolveSandboxMode('auto', absent)).toBe('rlimit-only');
    expect(resolveSandboxMode('none', () => expect.unreachable('probe asked for sandbox none'))).toBe('rlimit-only');
    expect(resolveSandboxMode('bwrap', present)).toBe('bwrap');
    expect(() => resolveSandboxMode('bwrap', absent)).toThrow(
      "execution.sandbox is 'bwrap' but bubblewrap is not usable on this machine",
    );
  });

  it('sandboxCommand wraps argv in bwrap when the probe finds it and returns argv unchanged in the rlimit-only fallback', () => {
    const options = { workdir: '/tmp/w', sandbox: 'auto' as const };
    expect(sandboxCommand(['python3', 'main.py'], options, present)).toEqual(
      bubblewrapCommand(['python3', 'main.py'], options),
    );
    expect(sandboxCommand(['python3', 'main.py'], options, absent)).toEqual({
      file: 'python3',
      args: ['main.py'],
      mode: 'rlimit-only',
    });
    expect(() => sandboxCommand([], options, absent)).toThrow('empty argv');
  });
});

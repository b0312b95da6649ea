import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ZYGOTE_SCRIPT } from '../../../src/execution/batch/python-worker.ts';

// Drives the harness's per-test timer (`time_limit` in batch-zygote.py) inside one python3 process: tests re-arm
// the timer instead of cancelling it, so a SIGALRM that arrives between tests must be ignored, one inside a test
// must raise, and every job must end with the timer disarmed.
const SCRIPT = String.raw`
import importlib.util, json, os, signal, sys, time
spec = importlib.util.spec_from_file_location('zygote', sys.argv[1])
z = importlib.util.module_from_spec(spec)
spec.loader.exec_module(z)
signal.signal(signal.SIGALRM, z._raise_timeout)
out = {}

def times_out(seconds, body=lambda: None):
    try:
        with z.time_limit(seconds):
            body()
        return False
    except z.TimeoutException:
        return True

os.kill(os.getpid(), signal.SIGALRM)
out['signal_between_tests'] = 'ignored'

def signal_then_sleep():
    signal.raise_signal(signal.SIGALRM)
    time.sleep(0.01)
out['signal_inside_test'] = 'raised' if times_out(5, signal_then_sleep) else 'ignored'

# a test ends before its timer, which then fires while no test runs
with z.time_limit(0.02):
    pass
time.sleep(0.1)
out['late_timer'] = 'raised' if times_out(1) else 'ignored'

# the process is descheduled right after arming: the test's own timer expires before its block opens, so its
# handler runs while no block is open (simulated by holding SIGALRM back past the limit inside setitimer)
real_setitimer = z._setitimer
def slow_setitimer(which, seconds):
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
    real_setitimer(which, seconds)
    time.sleep(seconds * 2)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGALRM])
z._setitimer = slow_setitimer
out['descheduled_after_arming'] = 'timeout' if times_out(0.02) else 'passed'
z._setitimer = real_setitimer
time.sleep(0.05)
out['armed_after_descheduled'] = z._timer_armed[0]

# a program that installs its own handler gets the harness's back at the next test
signal.signal(signal.SIGALRM, signal.SIG_IGN)
try:
    with z.time_limit(0.05):
        while True:
            pass
except z.TimeoutException:
    out['spin_after_foreign_handler'] = 'timeout'

suite = z.Suite(['assert f(1) == 2', 'assert f(2) == 3', 'while True: pass'], 0.05)
row = z.run_matrix(suite, 'def f(x):\n    return x + 1\n')
out['matrix'] = row['passed']
out['fired'] = row['t']
out['timer_after_matrix'] = list(signal.getitimer(signal.ITIMER_REAL))
program = z.run_program('x = 1', 5)
out['program'] = program['status']
out['timer_after_program'] = list(signal.getitimer(signal.ITIMER_REAL))
sys.stdout.write(json.dumps(out))
`;

describe('the per-test timer', () => {
  it('raises inside a test only, re-arms for every test and leaves every job disarmed', () => {
    const stdout = execFileSync('python3', ['-c', SCRIPT, ZYGOTE_SCRIPT], { timeout: 20_000 });
    expect(JSON.parse(stdout.toString())).toEqual({
      signal_between_tests: 'ignored',
      signal_inside_test: 'raised',
      late_timer: 'ignored',
      descheduled_after_arming: 'timeout',
      armed_after_descheduled: false,
      spin_after_foreign_handler: 'timeout',
      matrix: '110',
      fired: [2],
      timer_after_matrix: [0, 0],
      program: 'passed',
      timer_after_program: [0, 0],
    });
  });
});

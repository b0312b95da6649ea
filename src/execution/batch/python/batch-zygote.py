"""Warm Python worker for batch execution (Refinery).

Server mode (default): reads JSON lines on stdin, forks one child per job from this already-started
interpreter, enforces the job's process limit by killing the child's process group, and writes one JSON
line per job on stdout. Single mode (`--single`): runs one job in this very process (used by the naive
fresh-process baseline of the benchmark, so both paths share the harness semantics below).

Harness semantics follow CodeT's released evaluation (techniques.md 1.4):
- matrix job: exec(prompt + completion) in a fresh dict seeded with `time_limit`, then a generated
  `check()` that runs every test under its own ITIMER_REAL timer; any Exception -> False. The vector is
  lost when the program fails to load, a BaseException escapes, or the process limit passes.
- program job: exec(source) in a fresh dict under ONE timer; passed / failed / timeout, killed at `join`.
"""
import gc
import json
import os
import select
import signal
import sys
import time

# Warm imports: what HumanEval-style programs import most, so children do not pay for it. Deliberately
# NOT imported: threading, random, tempfile, subprocess. Their at-fork hooks make every forked child
# touch (copy-on-write) a few hundred extra pages, which costs more than importing them where needed.
import typing  # noqa: F401
import collections  # noqa: F401
import math  # noqa: F401
import re  # noqa: F401
import itertools  # noqa: F401
import functools  # noqa: F401
import string  # noqa: F401
import hashlib  # noqa: F401
import heapq  # noqa: F401
import resource
import shutil
import builtins
import faulthandler

PROTOCOL_VERSION = 1
MEMORY_LIMIT_BYTES = 4 * 1024 ** 3
FILE_SIZE_LIMIT_BYTES = 16 * 1024 ** 2
PROCESS_LIMIT = 64

perf_counter = time.perf_counter
_setitimer = signal.setitimer
_signal = signal.signal
_ITIMER_REAL = signal.ITIMER_REAL
_SIGALRM = signal.SIGALRM


class TimeoutException(Exception):
    pass


def _raise_timeout(signum, frame):
    raise TimeoutException('Timed out!')


_durations = []
_fired = []


class time_limit:  # noqa: N801  (the name programs and harness see, as in the reference harness)
    """One test's ITIMER_REAL timer. Records every test's duration, also when the timer fires inside __enter__
    (a process descheduled right after arming it), so timing-dependent verdicts can always be recognised."""

    __slots__ = ('seconds', 'started', 'index')

    def __init__(self, seconds):
        self.seconds = seconds

    def __enter__(self):
        self.started = perf_counter()
        self.index = len(_durations)
        _durations.append(0.0)
        try:
            _signal(_SIGALRM, _raise_timeout)
            _setitimer(_ITIMER_REAL, self.seconds)
        except TimeoutException:
            self._finish(True)
            raise
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            _setitimer(_ITIMER_REAL, 0)
        except TimeoutException:
            # the timer fired just before it was disarmed; Python ran the handler right after the call
            self._finish(True)
            raise
        self._finish(exc_type is TimeoutException)
        return False

    def _finish(self, fired):
        _durations[self.index] = perf_counter() - self.started
        if fired:
            _fired.append(self.index)


class _DiscardingIO:
    """Stands in for stdin/stdout/stderr: writes vanish, reads raise like the reference's write-only sink."""

    encoding = 'utf-8'
    errors = 'strict'
    newlines = None
    closed = False

    def write(self, s):
        return len(s)

    def writelines(self, lines):
        pass

    def flush(self):
        pass

    def read(self, *a, **k):
        raise OSError('stdin is not readable')

    readline = read
    readlines = read

    def readable(self):
        return False

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        raise OSError('no file descriptor')

    def __iter__(self):
        raise OSError('stdin is not readable')


def _indent_test(test, spaces):
    return test.strip().replace('\n', '\n' + ' ' * spaces)


def _test_block(test, timeout):
    # Same shape as CodeT's packed harness: the assertion, then append(True), inside the timer.
    return (
        '\n    try:\n        with time_limit(%r):\n            %s\n            pass_result.append(True)\n'
        '    except Exception as e:\n        pass_result.append(False)\n' % (timeout, _indent_test(test, 12))
    )


class Suite:
    """The compiled harness for one list of distinct tests; tests that cannot compile in it always fail."""

    __slots__ = ('code', 'valid', 'count')

    def __init__(self, tests, timeout):
        self.count = len(tests)
        self.valid = []
        blocks = []
        for test in tests:
            block = _test_block(test, timeout)
            try:
                compile('def check():\n    pass_result = []\n' + block, '<test>', 'exec')
            except BaseException:
                self.valid.append(False)
                continue
            self.valid.append(True)
            blocks.append(block)
        source = (
            'def check():\n    pass_result = []\n' + ''.join(blocks)
            + '\n    return pass_result\n\nglobal final_result\nfinal_result = check()'
        )
        self.code = compile(source, '<string>', 'exec')

    def expand(self, values, missing):
        """Maps per-valid-test values back onto all tests; tests that never ran get `missing`."""
        out = []
        it = iter(values)
        for ok in self.valid:
            out.append(next(it, missing) if ok else missing)
        return out

    def expand_indices(self, indices):
        positions = [i for i, ok in enumerate(self.valid) if ok]
        return [positions[i] for i in indices if i < len(positions)]


def _guard_process():
    """Nulls what CodeT's reference harness nulls, so calling it is an ordinary failing TypeError."""
    faulthandler.disable()
    builtins.exit = None
    builtins.quit = None
    builtins.help = None
    os.environ['OMP_NUM_THREADS'] = '1'
    for name in (
        'kill', 'system', 'putenv', 'remove', 'removedirs', 'rmdir', 'fchdir', 'setuid', 'fork', 'forkpty',
        'killpg', 'rename', 'renames', 'truncate', 'replace', 'unlink', 'fchmod', 'fchown', 'chmod', 'chown',
        'chroot', 'lchflags', 'lchmod', 'lchown', 'getcwd', 'chdir',
    ):
        setattr(os, name, None)
    shutil.rmtree = None
    shutil.move = None
    shutil.chown = None
    subprocess = sys.modules.get('subprocess')
    if subprocess is not None:
        subprocess.Popen = None
    for name in ('ipdb', 'joblib', 'resource', 'psutil', 'tkinter'):
        sys.modules[name] = None


def _isolate_io():
    sink = _DiscardingIO()
    sys.stdin = sink
    sys.stdout = sink
    sys.stderr = sink


def _tenths_of_ms(seconds):
    return round(seconds * 10000)


def run_matrix(suite, program):
    """One candidate against a suite: {status, passed ('0'/'1' per test) or None, d, t, error}."""
    namespace = {'time_limit': time_limit}
    _durations.clear()
    _fired.clear()
    try:
        exec(compile(program, '<string>', 'exec'), namespace)
    except BaseException as e:  # noqa: BLE001  (definition-time failure of any kind loses the vector)
        _setitimer(_ITIMER_REAL, 0)
        return {'status': 'load_error', 'passed': None, 'error': type(e).__name__}
    _durations.clear()
    _fired.clear()
    try:
        exec(suite.code, namespace)
    except BaseException as e:  # noqa: BLE001
        _setitimer(_ITIMER_REAL, 0)
        return {'status': 'escaped', 'passed': None, 'error': type(e).__name__}
    result = namespace.get('final_result')
    if type(result) is not list:
        return {'status': 'escaped', 'passed': None, 'error': 'NoResult'}
    passed = suite.expand([r is True for r in result], False)
    # Durations are known only while the harness's time_limit is the one in use (a program may replace it).
    durations = suite.expand([_tenths_of_ms(d) for d in _durations], 0) if len(_durations) == len(result) else []
    return {
        'status': 'ok',
        'passed': ''.join('1' if p else '0' for p in passed),
        'd': durations,
        't': suite.expand_indices(_fired) if durations else [],
        'error': None,
    }


def run_program(source, timeout):
    """A whole program under one timer: {status: passed|failed|timeout, error, d}."""
    namespace = {}
    _durations.clear()
    try:
        with time_limit(timeout):
            exec(source, namespace)
        status, error = 'passed', None
    except TimeoutException:
        status, error = 'timeout', 'TimeoutException'
    except BaseException as e:  # noqa: BLE001
        _setitimer(_ITIMER_REAL, 0)
        status, error = 'failed', type(e).__name__
    return {'status': status, 'error': error, 'd': [_tenths_of_ms(d) for d in _durations[:1]]}


def _execute(job, suites):
    if job['op'] == 'matrix':
        return run_matrix(suites[job['suite']], job['program'])
    return run_program(job['source'], job['timeout'])


def _child_setup(scratch, cpu_seconds):
    os.setpgid(0, 0)
    os.chdir(scratch)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT_BYTES, FILE_SIZE_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        resource.setrlimit(resource.RLIMIT_NPROC, (PROCESS_LIMIT, PROCESS_LIMIT))
    except (ValueError, OSError):
        pass
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    _isolate_io()
    _guard_process()


_write = os.write
_exit = os._exit
_close = os.close


def _child_main(job, suites, scratch, limit, write_fd):
    try:
        _child_setup(scratch, int(limit) + 1)
        payload = json.dumps(_execute(job, suites)).encode() + b'\n'
        view = memoryview(payload)
        while view:
            view = view[_write(write_fd, view):]
    finally:
        _exit(0)


class Server:
    def __init__(self, own_pid_namespace):
        # In its own PID namespace (bwrap), the zygote may kill every process but itself and init there.
        self.own_pid_namespace = own_pid_namespace
        self.suites = {}
        self.scratch_root = os.path.join(os.environ.get('TMPDIR') or '/tmp', 'refinery-zygote-%d' % os.getpid())
        os.makedirs(self.scratch_root, exist_ok=True)
        self.scratch = None
        self.scratch_serial = 0
        self.zombies = []
        self.out = sys.stdout.buffer

    def fresh_scratch(self):
        if self.scratch is not None:
            try:
                if not os.listdir(self.scratch):
                    return self.scratch
            except OSError:
                pass
            shutil.rmtree(self.scratch, ignore_errors=True)
        self.scratch_serial += 1
        self.scratch = os.path.join(self.scratch_root, str(self.scratch_serial))
        os.mkdir(self.scratch, 0o700)
        return self.scratch

    def reap(self, block=False):
        keep = []
        for pid in self.zombies:
            try:
                done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
            except ChildProcessError:
                continue
            if done == 0:
                keep.append(pid)
        self.zombies = keep

    def run_job(self, job):
        limit = job['limit']
        scratch = self.fresh_scratch()
        read_fd, write_fd = os.pipe()
        started = perf_counter()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _child_main(job, self.suites, scratch, limit, write_fd)
        os.close(write_fd)
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass
        deadline = started + limit
        chunks = []
        finished = False
        while True:
            remaining = deadline - perf_counter()
            if remaining <= 0:
                break
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                finished = True
                break
            chunks.append(chunk)
            if chunk.endswith(b'\n'):
                finished = True
                break
        elapsed = perf_counter() - started
        os.close(read_fd)
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        self.zombies.append(pid)
        if finished and chunks:
            try:
                result = json.loads(b''.join(chunks))
            except ValueError:
                result = {'status': 'crashed', 'error': 'BadResult'}
        elif finished:
            # The child closed the pipe without a result: killed by a signal or an rlimit.
            self.reap(block=True)
            result = {'status': 'crashed', 'error': 'NoResult'}
        else:
            result = {'status': 'overrun' if job['op'] == 'matrix' else 'timeout', 'error': 'ProcessLimit'}
        result['id'] = job['id']
        result['ms'] = round(elapsed * 1000, 2)
        return result

    def serve(self):
        gc.collect()
        gc.freeze()
        self.send({'hello': PROTOCOL_VERSION, 'python': sys.version.split()[0], 'pid': os.getpid()})
        for line in sys.stdin.buffer:
            if not line.strip():
                continue
            job = json.loads(line)
            op = job['op']
            if op == 'suite':
                self.suites[job['key']] = Suite(job['tests'], job['timeout'])
                continue
            if op == 'reset':
                self.suites.clear()
                continue
            try:
                result = self.run_job(job)
            except Exception as e:  # noqa: BLE001  (report, keep serving)
                result = {'id': job.get('id'), 'status': 'crashed', 'error': 'Engine:' + repr(e)}
            self.send(result)
            self.reap()
            if self.own_pid_namespace:
                self.kill_strays()
        self.reap(block=True)
        shutil.rmtree(self.scratch_root, ignore_errors=True)

    def kill_strays(self):
        """Kills what escaped a child's process group (setsid, double fork) before the next job starts."""
        known = {1, os.getpid(), *self.zombies}
        for entry in os.listdir('/proc'):
            if entry.isdigit() and int(entry) not in known:
                try:
                    os.kill(-1, signal.SIGKILL)
                except OSError:
                    pass
                self.reap(block=True)
                return

    def send(self, obj):
        self.out.write(json.dumps(obj).encode() + b'\n')
        self.out.flush()


def single():
    """One job from stdin, run in this process (cwd is the caller's scratch dir); prints the result as JSON."""
    job = json.loads(sys.stdin.buffer.read())
    suites = {}
    if job['op'] == 'matrix':
        suites[job['suite']] = Suite(job['tests'], job['timeout'])
    started = perf_counter()
    result_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    _isolate_io()
    _guard_process()
    result = _execute(job, suites)
    result['ms'] = round((perf_counter() - started) * 1000, 2)
    payload = json.dumps(result).encode()
    _write(result_fd, payload)
    _exit(0)


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == '--single':
        single()
    else:
        Server('--pid-namespace' in sys.argv).serve()

"""Warm Python worker for batch execution (Refinery).

Server mode (default): reads jobs on stdin, runs each in a child forked from this already-started interpreter,
enforces the job's process limit by killing the child's process group, and writes one line per job on stdout.
Isolation (`--isolation`):
- `reuse` (default): a forked runner serves consecutive jobs, each in a fresh namespace and scratch directory.
  Modules a job imported are forgotten after it (the next job pays for its own imports, as in a fresh process).
  The runner is retired (a fresh fork serves the next job) as soon as a job leaves anything else behind that could
  reach the next one: a changed module, class, builtin, environment variable, signal handler, timer, interpreter
  setting, thread or child process. A job whose runner dies is re-run alone in a fresh fork, so a crash is never
  blamed on an earlier job.
- `fork`: one fresh fork per job; always so outside a PID namespace of its own (the rlimit-only fallback), where a
  process a job leaves behind could not be found between jobs.
Single mode (`--single`): runs one job in this very process (used by the naive
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

# Warm imports: what HumanEval-style programs import most, so jobs do not pay for it, and what the reference
# harness (a multiprocessing child of a process that imported tempfile) has loaded: random, bisect, copy, weakref,
# threading. A job's own imports are forgotten after it, unless importing rebound something in a module the zygote
# already has; then the runner is replaced (a fork). `importlib` is the common case: its first import renames
# _frozen_importlib, and its submodules become attributes of the package (inspect, dataclasses, pathlib and
# unittest import them), so it is loaded here once. Not imported: subprocess, logging, socket (rarely used).
import typing  # noqa: F401
import collections  # noqa: F401
import math  # noqa: F401
import re  # noqa: F401
import itertools  # noqa: F401
import functools  # noqa: F401
import string  # noqa: F401
import hashlib  # noqa: F401
import heapq  # noqa: F401
import random  # noqa: F401
import bisect  # noqa: F401
import copy  # noqa: F401
import weakref  # noqa: F401
import threading  # noqa: F401
import datetime  # noqa: F401
import importlib  # noqa: F401
import importlib.machinery  # noqa: F401
import importlib.util  # noqa: F401
import resource
import shutil
import warnings
import _thread
import builtins
import faulthandler

PROTOCOL_VERSION = 1
MEMORY_LIMIT_BYTES = 4 * 1024 ** 3
FILE_SIZE_LIMIT_BYTES = 16 * 1024 ** 2
PROCESS_LIMIT = 64

perf_counter = time.perf_counter
_setitimer = signal.setitimer
_signal = signal.signal
_getsignal = signal.getsignal
_ITIMER_REAL = signal.ITIMER_REAL
_SIGALRM = signal.SIGALRM


class TimeoutException(Exception):
    pass


# [0] is True while a test's block is open, from just after its timer is armed. Timers are not cancelled after a
# test: the next test re-arms (replaces) it and each job ends disarmed, which saves a syscall per test. A SIGALRM
# handled while [0] is False is a previous test's timer arriving late, and is ignored. A list, not a global:
# rebinding a module global would bump the namespace's version tag, which runners read as a changed module.
_timer_armed = [False]


def _raise_timeout(signum, frame):
    if _timer_armed[0]:
        raise TimeoutException('Timed out!')


def _disarm():
    _timer_armed[0] = False
    _setitimer(_ITIMER_REAL, 0)


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
            if _getsignal(_SIGALRM) is not _raise_timeout:
                _signal(_SIGALRM, _raise_timeout)
            # A late signal from the previous test is handled right after this call (an eval-breaker check), while
            # [0] is still False. If this test's own timer expired before [0] became True (the process descheduled
            # right after arming it), its signal was ignored the same way: the clock says so, and it raises here.
            _setitimer(_ITIMER_REAL, self.seconds)
            _timer_armed[0] = True
            if perf_counter() - self.started >= self.seconds:
                raise TimeoutException('Timed out!')
        except TimeoutException:
            # no __exit__ follows: a timer still about to fire must find the block closed
            _timer_armed[0] = False
            self._finish(True)
            raise
        return self

    def __exit__(self, exc_type, exc, tb):
        # a SIGALRM arriving from here on is handled after this store, so it is ignored: the test has finished
        _timer_armed[0] = False
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
    """The compiled harness for one list of distinct tests. A test that cannot compile inside it (e.g. a trailing
    `from x import *`, legal at module level only) makes the reference's single packed program fail to load, so by
    default (`strict`) every candidate then loses its vector without running; lenient suites fail that test only."""

    __slots__ = ('code', 'valid', 'count', 'load_error')

    def __init__(self, tests, timeout, strict=True):
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
        self.load_error = strict and not all(self.valid)

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
    if os.environ.get('OMP_NUM_THREADS') != '1':
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
    if suite.load_error:
        return {'status': 'load_error', 'passed': None, 'error': 'SyntaxError'}
    namespace = {'time_limit': time_limit}
    _durations.clear()
    _fired.clear()
    try:
        exec(compile(program, '<string>', 'exec'), namespace)
    except BaseException as e:  # noqa: BLE001  (definition-time failure of any kind loses the vector)
        _disarm()
        return {'status': 'load_error', 'passed': None, 'error': type(e).__name__}
    _durations.clear()
    _fired.clear()
    try:
        exec(suite.code, namespace)
    except BaseException as e:  # noqa: BLE001
        _disarm()
        return {'status': 'escaped', 'passed': None, 'error': type(e).__name__}
    _disarm()
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
        _disarm()
        status, error = 'passed', None
    except TimeoutException:
        status, error = 'timeout', 'TimeoutException'
    except BaseException as e:  # noqa: BLE001
        _disarm()
        status, error = 'failed', type(e).__name__
    return {'status': status, 'error': error, 'd': [_tenths_of_ms(d) for d in _durations[:1]]}


# The zygote's own handles on what the guard nulls for programs (captured before it runs).
_fork = os.fork
_environ_data = os.environ._data
_getitimer = signal.getitimer
_thread_count = _thread._count
_getrusage = resource.getrusage
_RUSAGE_SELF = resource.RUSAGE_SELF
_RLIM_INFINITY = resource.RLIM_INFINITY
_setpgid = os.setpgid
_killpg = os.killpg
_kill = os.kill
_waitpid = os.waitpid
_WNOHANG = os.WNOHANG
_pipe = os.pipe
_read = os.read
_write = os.write
_close = os.close
_dup2 = os.dup2
_chdir = os.chdir
_listdir = os.listdir
_mkdir = os.mkdir
_getpid = os.getpid
_exit = os._exit
_unlink = os.unlink
_rmdir = os.rmdir
_scandir = os.scandir
_setrlimit = resource.setrlimit
_RLIMIT_CPU = resource.RLIMIT_CPU
_select = select.select
_wait4 = os.wait4
_loads = json.loads
_dumps = json.dumps


def _rmtree(path):
    """shutil.rmtree looks up os.unlink and os.rmdir at call time, and the guard nulls those."""
    try:
        entries = list(_scandir(path))
    except OSError:
        entries = []
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                _rmtree(entry.path)
            else:
                _unlink(entry.path)
        except OSError:
            pass
    try:
        _rmdir(path)
    except OSError:
        pass


def _prepare_zygote(calls=False, process_limit=True):
    """Everything every child needs that is the same for all of them, done once so forks copy no pages for it:
    rlimits, the reference harness's nulled functions, discarded stdio, a frozen heap. A zygote for harness calls
    (`calls`) keeps a normal interpreter instead: no guard, no SIGALRM handler, and sys.stdin/stdout on /dev/null
    rather than the sink (so input() meets an end of file and exit() raises SystemExit, as in a fresh python3).
    Without `process_limit` (a fresh python3 that shares its uid with everything else) RLIMIT_NPROC is left alone."""
    for limit, value in (
        (resource.RLIMIT_AS, MEMORY_LIMIT_BYTES),
        (resource.RLIMIT_FSIZE, FILE_SIZE_LIMIT_BYTES),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_NPROC, PROCESS_LIMIT if process_limit else None),
    ):
        if value is None:
            continue
        try:
            _setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass
    devnull = os.open(os.devnull, os.O_RDWR)
    reader = os.fdopen(os.dup(0), 'rb', buffering=1 << 16)
    protocol_out = os.dup(1)
    if calls:
        _dup2(devnull, 0)
        _dup2(devnull, 1)
    else:
        _isolate_io()
        _guard_process()
        # installed once: every runner and child inherits it, so tests rarely need a sigaction of their own
        _signal(_SIGALRM, _raise_timeout)
    gc.collect()
    gc.freeze()
    # The zygote's own garbage is acyclic; collections would only dirty (and so copy) shared pages.
    gc.disable()
    return reader, protocol_out, devnull


def _encode_result(result):
    """`status|error|passed|durations|fired` with comma-separated numbers; cheaper than json for a fresh child."""
    error = result.get('error')
    return ('%s|%s|%s|%s|%s\n' % (
        result['status'],
        '' if error is None else error.replace('|', '_'),
        result.get('passed') or '',
        ','.join(map(str, result.get('d') or ())),
        ','.join(map(str, result.get('t') or ())),
    )).encode()


def _child_main(op, payload, suite, timer, scratch, limit, write_fd, devnull):
    try:
        _setpgid(0, 0)
        _chdir(scratch)
        cpu = int(limit) + 1
        _setrlimit(_RLIMIT_CPU, (cpu, cpu + 1))
        _dup2(devnull, 0)
        _dup2(devnull, 1)
        _dup2(devnull, 2)
        gc.enable()
        source = payload.decode('utf-8', 'surrogatepass')
        result = run_matrix(suite, source) if op == b'matrix' else run_program(source, timer)
        view = memoryview(_encode_result(result))
        while view:
            view = view[_write(write_fd, view):]
    finally:
        _exit(0)


# Harness calls (`op` harness / call): a pipeline's own module defining run(job), run on JSON jobs, one fresh fork of
# a guard-free zygote per call, under a CPU-time rlimit and a wall ceiling.


def load_harness(key, source):
    """The harness module's run(job), or bytes saying why it does not load. Its module-level code runs once, here
    in the zygote (forks inherit the module), so it should only import and define."""
    name = '_refinery_harness_' + key
    module = type(sys)(name)
    try:
        exec(compile(source, '<harness %s>' % key[:12], 'exec'), module.__dict__)
        run = module.__dict__.get('run')
        if not callable(run):
            raise TypeError('the harness defines no run(job)')
    except BaseException as e:  # noqa: BLE001  (reported to the caller; the zygote keeps serving)
        text = '%s: %s' % (type(e).__name__, e)
        return text.replace('|', '/').replace('\n', ' ').replace('\r', ' ').encode('utf-8', 'replace')[:500]
    sys.modules[name] = module
    return run


def _call_child(run, payload, cpu, scratch, write_fd, devnull):
    """Runs run(json job) and writes `ok||<json value>` or `crashed|<exception class>|`, one line."""
    try:
        _setpgid(0, 0)
        _chdir(scratch)
        _setrlimit(_RLIMIT_CPU, (cpu, cpu + 1))
        _dup2(devnull, 0)
        _dup2(devnull, 1)
        _dup2(devnull, 2)
        gc.enable()
        try:
            value = run(_loads(payload))
            reply = b'ok||' + _dumps(value, allow_nan=False).encode() + b'\n'
        except BaseException as e:  # noqa: BLE001  (how run ended is the caller's verdict)
            name = type(e).__name__.replace('|', '_').replace('\n', ' ').replace('\r', ' ')
            reply = b'crashed|' + name.encode('utf-8', 'replace') + b'|\n'
        view = memoryview(reply)
        while view:
            view = view[_write(write_fd, view):]
    finally:
        _exit(0)


def fork_call(run, payload, cpu, wall, scratch, devnull):
    """One call in a fresh fork: (`status|error|cpu s|json value` bytes, wall seconds). CPU: RLIMIT_CPU soft limit of
    `cpu` seconds rounded up to whole seconds (the kernel's unit; SIGXCPU, SIGKILL one second later); wall: the
    process group is SIGKILLed at `wall` seconds after the fork."""
    soft = max(1, int(math.ceil(cpu)))
    read_fd, write_fd = _pipe()
    started = perf_counter()
    pid = _fork()
    if pid == 0:
        _close(read_fd)
        _call_child(run, payload, soft, scratch, write_fd, devnull)
    _close(write_fd)
    try:
        _setpgid(pid, pid)
    except OSError:
        pass
    finished, chunks = _read_reply(read_fd, started + wall)
    elapsed = perf_counter() - started
    _close(read_fd)
    for kill in (_killpg, _kill):
        try:
            kill(pid, signal.SIGKILL)
        except OSError:
            pass
    _, status, usage = _wait4(pid, 0)
    used = usage.ru_utime + usage.ru_stime
    reply = b''.join(chunks)
    value = b''
    if finished and reply.endswith(b'\n'):
        state, error, value = reply.rstrip(b'\n').split(b'|', 2)
    elif not finished:
        state, error = b'timeout', b'wall'
    elif os.WIFSIGNALED(status) and (
        os.WTERMSIG(status) == signal.SIGXCPU or (os.WTERMSIG(status) == signal.SIGKILL and used >= soft)
    ):
        state, error = b'timeout', b'cpu'
    else:
        # died without a result: a signal, an rlimit, os._exit
        state, error = b'crashed', b'NoResult'
    return b'%s|%s|%.3f|%s' % (state, error, used, value), elapsed


_HEAP_TYPE = 1 << 9
# Signals whose handlers a job could change for the next one (SIGALRM is the harness's own and is reset instead).
_WATCHED_SIGNALS = tuple(
    getattr(signal, name) for name in (
        'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGPIPE', 'SIGCHLD', 'SIGVTALRM', 'SIGPROF',
        'SIGXCPU', 'SIGXFSZ', 'SIGSEGV', 'SIGFPE', 'SIGBUS', 'SIGABRT', 'SIGTRAP', 'SIGWINCH', 'SIGIO',
    ) if hasattr(signal, name)
)
_RUNNER_JOBS = 4096


def _process_settings():
    """Interpreter and process settings a job can change without touching any module's namespace."""
    decimal = sys.modules.get('decimal')
    return (
        sys.getrecursionlimit(), sys.gettrace(), sys.getprofile(), sys.getswitchinterval(),
        sys.get_int_max_str_digits(), sys.getdlopenflags(), gc.isenabled(), gc.get_threshold(),
        tuple(_getsignal(s) for s in _WATCHED_SIGNALS),
        _getitimer(signal.ITIMER_REAL), _getitimer(signal.ITIMER_VIRTUAL), _getitimer(signal.ITIMER_PROF),
        _thread_count(), tuple(sys.path), tuple(sys.meta_path), tuple(sys.path_hooks), tuple(warnings.filters),
        repr(decimal.getcontext()) if decimal is not None else None,
    )


def _dict_version_reader():
    """Reads a dict's version tag (PEP 509: CPython bumps it on every insert, delete or rebinding) straight from
    memory, so checking a namespace writes nothing: comparing dicts would incref every value and copy every page
    that holds one into the runner. None when this interpreter fails the self-test (the comparison is used then)."""
    try:
        import ctypes
    except ImportError:
        return None
    if sys.implementation.name != 'cpython':
        return None
    offset = object.__basicsize__ + ctypes.sizeof(ctypes.c_ssize_t)  # PyObject_HEAD, then ma_used
    at = ctypes.c_uint64.from_address

    def read(address):
        return at(address + offset).value

    # cells read without creating an object per read: runners check ~400 namespaces after every job
    read.cells = lambda addresses: [at(address + offset) for address in addresses]

    probe = {'a': 1, 'b': 2}
    first = read(id(probe))
    unchanged = read(id(probe)) == first and probe['a'] == 1 and read(id(probe)) == first
    probe['a'] = 3
    rebound = read(id(probe))
    del probe['b']
    deleted = read(id(probe))
    if not (unchanged and rebound != first and deleted != rebound):
        return None
    return read


def _watched_namespaces():
    """(address, label) of every namespace a job could rebind: each module's dict and each of its classes' dicts,
    sys.modules itself and the environment. Taken in the zygote, so runners only read."""
    out = [(id(sys.modules), 'imports'), (id(_environ_data), 'environ')]
    for name, module in list(sys.modules.items()):
        namespace = getattr(module, '__dict__', None)
        if type(namespace) is not dict:
            continue
        out.append((id(namespace), 'module:' + name))
        for value in list(namespace.values()):
            if isinstance(value, type) and value.__flags__ & _HEAP_TYPE and value.__module__ == name:
                for inner in gc.get_referents(value.__dict__):
                    if type(inner) is dict:
                        out.append((id(inner), 'class:%s.%s' % (name, value.__name__)))
    return out


_read_dict_version = _dict_version_reader()


class _StateWatch:
    """Everything one job could leave behind for the next job run by the same process, checked after each job:
    any rebinding, addition or deletion in a module's or class's namespace, sys.modules (an import) or the
    environment; interpreter and process settings; threads and child processes. In-place caches (re's,
    functools') are not changes. Namespaces are checked by version tag, else by comparing their values' identity."""

    __slots__ = ('read', 'watched', 'cells', 'tags', 'module_names', 'modules', 'module_count', 'classes', 'settings', 'environ', 'alarm')

    def __init__(self, read, watched):
        self.read = read
        self.watched = watched
        self.module_names = frozenset(sys.modules)
        if read is not None:
            self.cells = read.cells([address for address, _ in watched])
            self.tags = [cell.value for cell in self.cells]
        else:
            self.modules = {}
            self.classes = []
            for name, module in list(sys.modules.items()):
                namespace = getattr(module, '__dict__', None)
                if type(namespace) is dict:
                    self.modules[name] = (module, namespace.copy())
                    for value in namespace.values():
                        if isinstance(value, type) and value.__flags__ & _HEAP_TYPE and value.__module__ == name:
                            self.classes.append((value.__dict__, dict(value.__dict__)))
            self.module_count = len(sys.modules)
            self.environ = dict(_environ_data)
        self.settings = _process_settings()
        self.alarm = _getsignal(_SIGALRM)

    @staticmethod
    def _has_children():
        # one syscall: (0, 0) while a child runs, its pid once it has exited (reaped here), ECHILD when there is none
        try:
            _waitpid(-1, _WNOHANG)
        except ChildProcessError:
            return False
        return True

    def _namespace_change(self):
        if self.read is not None:
            if [cell.value for cell in self.cells] == self.tags:
                return None
            for (_, label), cell, tag in zip(self.watched, self.cells, self.tags):
                if cell.value != tag:
                    return label
            return 'namespace'

        if len(sys.modules) != self.module_count:
            return 'imports'
        if _environ_data != self.environ:
            return 'environ'
        for name, (module, snapshot) in self.modules.items():
            if sys.modules.get(name) is not module or module.__dict__ != snapshot:
                return 'module:' + name
        for namespace, snapshot in self.classes:
            if namespace != snapshot:
                return 'class'
        return None

    def _unload_imports(self):
        """When a job's imports are all it changed, forgets the modules it imported, so the next job starts with
        exactly the zygote's modules: it pays for its own imports (under its timer, as in a fresh process) and
        finds nothing an import cut short by a timer left half-made. False when something else changed too."""
        if self.read is None or any(cell.value != tag for cell, tag in zip(self.cells[1:], self.tags[1:])):
            return False
        modules = sys.modules
        if not self.module_names.issubset(modules):
            return False
        for name in [name for name in modules if name not in self.module_names]:
            del modules[name]
        self.tags[0] = self.cells[0].value
        return True

    def changes(self):
        """'-' when the process is as the previous job left it (after forgetting what it imported), else a short
        reason (the runner then retires)."""
        if _getsignal(_SIGALRM) is not self.alarm:
            _signal(_SIGALRM, self.alarm)
        changed = self._namespace_change()
        if changed == 'imports' and self._unload_imports():
            changed = None
        if changed is not None:
            return changed
        if _process_settings() != self.settings:
            return 'settings'
        if self._has_children():
            return 'children'
        return '-'


def _runner_main(suites, watched, job_fd, reply_fd, devnull):
    """A runner: serves jobs from `job_fd` until one leaves the process changed, then exits (see the docstring)."""
    try:
        _setpgid(0, 0)
        _dup2(devnull, 0)
        _dup2(devnull, 1)
        _dup2(devnull, 2)
        gc.enable()
        reader = os.fdopen(job_fd, 'rb', buffering=1 << 16)
        watch = _StateWatch(_read_dict_version, watched)
        while True:
            head = reader.readline()
            if not head:
                break
            op, key, timer, scratch, limit, size = head.split()
            payload = reader.read(int(size))
            if op == b'suite':
                spec = _loads(payload)
                suites[key] = Suite(spec['tests'], spec['timeout'], spec.get('strict', True))
                continue
            _chdir(scratch)
            used = _getrusage(_RUSAGE_SELF)
            _setrlimit(_RLIMIT_CPU, (int(used.ru_utime + used.ru_stime + float(limit)) + 2, _RLIM_INFINITY))
            source = payload.decode('utf-8', 'surrogatepass')
            result = run_matrix(suites[key], source) if op == b'matrix' else run_program(source, float(timer))
            reason = watch.changes()
            view = memoryview(reason.encode('ascii', 'replace') + b' ' + _encode_result(result))
            while view:
                view = view[_write(reply_fd, view):]
            if reason != '-':
                break
    finally:
        _exit(0)


def _read_reply(fd, deadline):
    """Reads one reply line from a child until `deadline`: (finished, chunks); finished is False at the deadline,
    True at the newline or when the child closed the pipe (then possibly with no chunk: it died)."""
    chunks = []
    while True:
        remaining = deadline - perf_counter()
        if remaining <= 0:
            return False, chunks
        if not _select([fd], [], [], remaining)[0]:
            continue
        chunk = _read(fd, 1 << 16)
        if not chunk:
            return True, chunks
        chunks.append(chunk)
        if chunk.endswith(b'\n'):
            return True, chunks


class _Runner:
    __slots__ = ('pid', 'to_fd', 'from_fd', 'suites', 'jobs')

    def __init__(self, pid, to_fd, from_fd, suites):
        self.pid = pid
        self.to_fd = to_fd
        self.from_fd = from_fd
        self.suites = suites
        self.jobs = 0


class Server:
    """Protocol (stdin): a header line `<id> <op> <limit s> <suite key or -> <timer s> <payload bytes>`, then
    the payload. `op` is `matrix` (payload: the program; runs the suite `key`), `program` (payload: the source,
    one `timer` around it), `suite` (payload: JSON {"tests", "timeout"}; registers a compiled harness under the
    key, no reply), `reset` (forget all suites) or `usage` (reply `usage||||<cpu s>,<children cpu s>,<page
    faults>,<children's page faults>`). Reply (stdout), one line per job:
    `<id> <ms> <status>|<error>|<passed 0/1...>|<durations, 0.1 ms>|<indices of fired timers>`.
    No JSON on the hot path: every page the zygote or a fresh child writes is a page copied by a fork.
    A zygote started with `--calls` serves harness calls instead of `matrix` and `program`: `harness` (payload: a
    module's source; registers its run(job) under the key, no reply) and `call` (key: the harness, limit: the wall
    ceiling, timer: the CPU limit, payload: the job's JSON); reply `<id> <ms> <ok|timeout|crashed>|<error>|<CPU s
    of the call's process>|<run's value as JSON>`."""

    def __init__(self, own_pid_namespace, isolation='reuse', calls=False):
        # In its own PID namespace (bwrap), the zygote may kill every process but itself and init there.
        self.own_pid_namespace = own_pid_namespace
        self.isolation = isolation
        self.calls = calls
        self.harnesses = {}
        self.runner = None
        self.forks = 0
        self.retired = {}
        self.suites = {}
        self.suite_specs = {}
        self.scratch_root = os.path.join(os.environ.get('TMPDIR') or '/tmp', 'refinery-zygote-%d' % _getpid())
        os.makedirs(self.scratch_root, exist_ok=True)
        self.scratch = None
        self.scratch_serial = 0
        self.zombies = []

    def fresh_scratch(self):
        if self.scratch is not None:
            try:
                if not _listdir(self.scratch):
                    return self.scratch
            except OSError:
                pass
            _rmtree(self.scratch)
        self.scratch_serial += 1
        self.scratch = os.path.join(self.scratch_root, str(self.scratch_serial))
        _mkdir(self.scratch, 0o700)
        return self.scratch

    def reap(self, block=False):
        keep = []
        for pid in self.zombies:
            try:
                done, _ = _waitpid(pid, 0 if block else os.WNOHANG)
            except ChildProcessError:
                continue
            if done == 0:
                keep.append(pid)
        self.zombies = keep

    def kill_strays(self):
        """Kills what escaped a child's process group (setsid, double fork) before the next job starts."""
        known = {1, _getpid(), *self.zombies}
        if self.runner is not None:
            known.add(self.runner.pid)
        for entry in _listdir('/proc'):
            if entry.isdigit() and int(entry) not in known:
                self.retire_runner('strays')
                try:
                    _kill(-1, signal.SIGKILL)
                except OSError:
                    pass
                self.reap(block=True)
                return

    def run_job(self, op, key, payload, suite, timer, limit, devnull):
        if self.isolation == 'reuse':
            return self.run_in_runner(op, key, payload, timer, limit, devnull)
        return self.run_in_fork(op, payload, suite, timer, limit, devnull)

    def retire_runner(self, reason):
        runner = self.runner
        if runner is None:
            return
        self.runner = None
        self.retired[reason] = self.retired.get(reason, 0) + 1
        _close(runner.to_fd)
        _close(runner.from_fd)
        try:
            _killpg(runner.pid, signal.SIGKILL)
        except OSError:
            pass
        self.zombies.append(runner.pid)
        self.reap()

    def start_runner(self, devnull):
        job_read, job_write = _pipe()
        reply_read, reply_write = _pipe()
        self.forks += 1
        # what the zygote made since the last fork (suites) joins the permanent generation: the runner's collector
        # then never walks it, which would write to, and so copy, every page that holds it
        gc.freeze()
        pid = _fork()
        if pid == 0:
            _close(job_write)
            _close(reply_read)
            _runner_main(self.suites, self.watched, job_read, reply_write, devnull)
        _close(job_read)
        _close(reply_write)
        try:
            _setpgid(pid, pid)
        except OSError:
            pass
        self.runner = _Runner(pid, job_write, reply_read, set(self.suites))
        return self.runner

    def run_in_runner(self, op, key, payload, timer, limit, devnull):
        runner = self.runner
        if runner is not None and runner.jobs >= _RUNNER_JOBS:
            self.retire_runner('jobs')
            runner = None
        if runner is None:
            runner = self.start_runner(devnull)
        scratch = self.fresh_scratch()
        message = b'%s %s %r %s %r %d\n%s' % (op, key, timer, scratch.encode(), limit, len(payload), payload)
        if op == b'matrix' and key not in runner.suites:
            # a suite registered after the runner was forked: the runner compiles it too (no reply)
            spec = self.suite_specs[key]
            message = b'suite %s 0 - 0 %d\n%s%s' % (key, len(spec), spec, message)
            runner.suites.add(key)
        started = perf_counter()
        try:
            view = memoryview(message)
            while view:
                view = view[_write(runner.to_fd, view):]
        except OSError:
            self.retire_runner('died')
            return self.run_in_fork(op, payload, self.suites.get(key), timer, limit, devnull)
        finished, chunks = _read_reply(runner.from_fd, started + limit)
        elapsed = perf_counter() - started
        runner.jobs += 1
        if finished and chunks:
            reason, _, body = b''.join(chunks).rstrip(b'\n').partition(b' ')
            if reason != b'-':
                self.retire_runner(reason.decode('ascii', 'replace').split(':')[0])
            return body, elapsed
        if finished:
            # The runner died during this job: run it again alone, so that what killed it is never an earlier job.
            self.retire_runner('died')
            return self.run_in_fork(op, payload, self.suites.get(key), timer, limit, devnull)
        self.retire_runner('limit')
        return (b'overrun|ProcessLimit|||' if op == b'matrix' else b'timeout|ProcessLimit|||'), elapsed

    def run_in_fork(self, op, payload, suite, timer, limit, devnull):
        scratch = self.fresh_scratch()
        read_fd, write_fd = _pipe()
        started = perf_counter()
        self.forks += 1
        pid = _fork()
        if pid == 0:
            _close(read_fd)
            _child_main(op, payload, suite, timer, scratch, limit, write_fd, devnull)
        _close(write_fd)
        try:
            _setpgid(pid, pid)
        except OSError:
            pass
        finished, chunks = _read_reply(read_fd, started + limit)
        elapsed = perf_counter() - started
        _close(read_fd)
        try:
            _killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        self.zombies.append(pid)
        if finished and chunks:
            body = b''.join(chunks).rstrip(b'\n')
        elif finished:
            # The child closed the pipe without a result: killed by a signal or an rlimit.
            body = b'crashed|NoResult|||'
        elif op == b'matrix':
            body = b'overrun|ProcessLimit|||'
        else:
            body = b'timeout|ProcessLimit|||'
        return body, elapsed

    def serve(self):
        reader, out_fd, devnull = _prepare_zygote(self.calls)
        self.watched = _watched_namespaces() if _read_dict_version is not None else []
        hello = {'hello': PROTOCOL_VERSION, 'python': sys.version.split()[0], 'pid': _getpid()}
        _write(out_fd, _dumps(hello).encode() + b'\n')
        while True:
            head = reader.readline()
            if not head:
                break
            parts = head.split()
            if len(parts) != 6:
                continue
            job_id, op, limit, key, timer, size = parts
            payload = reader.read(int(size))
            if op == b'suite':
                spec = _loads(payload)
                self.suites[key] = Suite(spec['tests'], spec['timeout'], spec.get('strict', True))
                self.suite_specs[key] = payload
                continue
            if op == b'reset':
                self.suites.clear()
                self.suite_specs.clear()
                self.harnesses.clear()
                for name in [name for name in sys.modules if name.startswith('_refinery_harness_')]:
                    del sys.modules[name]
                self.retire_runner('reset')
                continue
            if op == b'harness':
                self.harnesses[key] = load_harness(key.decode('ascii', 'replace'), payload.decode('utf-8', 'surrogatepass'))
                # the module joins the permanent generation: no child's collector walks (and so copies) its pages
                gc.freeze()
                continue
            if op == b'usage':
                # a live runner's CPU is counted only once it is reaped
                self.retire_runner('usage')
                self.reap(block=True)
                mine = resource.getrusage(resource.RUSAGE_SELF)
                children = resource.getrusage(resource.RUSAGE_CHILDREN)
                usage = '%.3f,%.3f,%d,%d,%d' % (
                    mine.ru_utime + mine.ru_stime, children.ru_utime + children.ru_stime, mine.ru_minflt, children.ru_minflt,
                    self.forks,
                )
                retired = ';'.join('%s:%d' % item for item in sorted(self.retired.items()))
                _write(out_fd, b'%s 0 usage|%s|||%s\n' % (job_id, retired.encode(), usage.encode()))
                continue
            if (op == b'call') != self.calls:
                if op == b'call':
                    _write(out_fd, b'%s 0.00 crashed|Engine:call needs a zygote started with --calls|0.000|\n' % job_id)
                else:
                    _write(out_fd, b'%s 0.00 crashed|Engine:a --calls zygote runs calls only||||\n' % job_id)
                continue
            if op == b'call':
                run = self.harnesses.get(key)
                if run is None or type(run) is bytes:
                    error = b'HarnessLoad:' + run if run is not None else b'HarnessMissing'
                    _write(out_fd, b'%s 0.00 crashed|%s|0.000|\n' % (job_id, error))
                    continue
                try:
                    self.forks += 1
                    body, elapsed = fork_call(run, payload, float(timer), float(limit), self.fresh_scratch(), devnull)
                except Exception as e:  # noqa: BLE001  (report, keep serving)
                    body, elapsed = b'crashed|Engine:' + repr(e).replace('|', '_').replace('\n', ' ').encode() + b'|0.000|', 0.0
                _write(out_fd, b'%s %.2f %s\n' % (job_id, elapsed * 1000, body))
                self.reap()
                if self.own_pid_namespace:
                    self.kill_strays()
                continue
            suite = self.suites.get(key)
            if op == b'matrix' and suite is not None and suite.load_error:
                # The packed program cannot compile: nothing would run in a child either.
                _write(out_fd, b'%s 0.00 load_error|SyntaxError|||\n' % job_id)
                continue
            try:
                body, elapsed = self.run_job(op, key, payload, suite, float(timer), float(limit), devnull)
            except Exception as e:  # noqa: BLE001  (report, keep serving)
                body, elapsed = b'crashed|Engine:' + repr(e).replace('|', '_').replace('\n', ' ').encode() + b'|||', 0.0
            _write(out_fd, b'%s %.2f %s\n' % (job_id, elapsed * 1000, body))
            self.reap()
            if self.own_pid_namespace:
                self.kill_strays()
        self.retire_runner('end')
        self.reap(block=True)
        _rmtree(self.scratch_root)


def single():
    """One job from stdin, run in this very process (the naive baseline: no fork, no warm state). Input: one JSON
    object, {"op": "matrix", "tests", "timeout", "program"} or {"op": "program", "source", "timeout"}, or
    {"op": "call", "harness", "job", "cpu", "wall"} (see single_call)."""
    job = json.loads(sys.stdin.buffer.read())
    if job['op'] == 'call':
        single_call(job)
    suite = Suite(job['tests'], job['timeout'], job.get('strict', True)) if job['op'] == 'matrix' else None
    started = perf_counter()
    result_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    _isolate_io()
    _guard_process()
    result = run_matrix(suite, job['program']) if job['op'] == 'matrix' else run_program(job['source'], job['timeout'])
    result['ms'] = round((perf_counter() - started) * 1000, 2)
    _write(result_fd, json.dumps(result).encode())
    _exit(0)


def single_call(job):
    """A harness call in a fresh python3 (the naive baseline of calls): this interpreter loads the harness and runs
    the call exactly as a --calls zygote does (one fork under the same limits). Writes one JSON object:
    {"status", "error", "cpu", "ms", "value"} (value present when status is ok)."""
    import tempfile  # not preloaded: the matrix zygote's warm modules stay CodeT's

    result_fd = os.dup(1)
    _, _, devnull = _prepare_zygote(calls=True, process_limit=False)
    scratch = tempfile.mkdtemp(prefix='refinery-call-')
    try:
        run = load_harness('single', job['harness'])
        if type(run) is bytes:
            body, elapsed = b'crashed|HarnessLoad:' + run + b'|0.000|', 0.0
        else:
            payload = json.dumps(job['job']).encode()
            cpu = float(job['cpu'])
            body, elapsed = fork_call(run, payload, cpu, float(job.get('wall') or 2 * cpu + 1), scratch, devnull)
    finally:
        _rmtree(scratch)
    state, error, used, value = body.split(b'|', 3)
    out = {'status': state.decode(), 'error': error.decode('utf-8', 'replace') or None, 'cpu': float(used),
           'ms': round(elapsed * 1000, 2)}
    text = json.dumps(out).encode()
    if value:
        text = text[:-1] + b', "value": ' + value + b'}'
    _write(result_fd, text)
    _exit(0)


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == '--single':
        single()
    else:
        # Reuse needs the PID namespace: there, every process a job leaves behind is found (kill_strays) after the job.
        pid_namespace = '--pid-namespace' in sys.argv
        isolation = 'reuse' if pid_namespace and '--isolation=fork' not in sys.argv else 'fork'
        Server(pid_namespace, isolation, calls='--calls' in sys.argv).serve()

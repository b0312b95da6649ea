"""MuTAP's program runs as harness calls of the shared engine (Refinery, techniques.md section 3).

MuTAP decides every verdict from one `python3 file.py` process: its exit status and whether its stderr holds the
text `AssertionError` (stage 3: PUT + one assert; stage 5: mutant + test function + `test()`; stage 8: mutant +
one assert at module level), and reads stdout once (stage 3's repair prints the left-hand side). `run(job)`
runs the same program inside the engine's warm worker (a fresh fork per call, under the engine's CPU-time limit)
and returns what that process would have shown:

  job  {"kind": "script", "source": SRC, "stdout": bool, "memoryMb": int (optional, lowers the address-space cap)}
  ->   {"exit": int, "assertion": bool, "error": NAME|null, "stdout": str|null, "memoryCap": bool}
  job  {"kind": "parse", "source": SRC}
  ->   {"ok": bool, "line": int|null}            (ast.parse, as MuTAP's syntax check; line of the SyntaxError)

How `python3 file.py` ends, and how run() reproduces it (test/execution/mutap/ checks each case against a real
python3 process):
- the module runs to its end: exit 0;
- an uncaught exception (SyntaxError at compile time included): the traceback on stderr, exit 1;
- SystemExit (exit(), quit(), sys.exit()): None -> 0; an int n -> n & 0xFF; anything else is printed on stderr
  and gives 1;
- an uncaught KeyboardInterrupt: the interpreter re-raises SIGINT on itself: exit -2 (killed by signal 2);
- os._exit(n): n, without atexit handlers;
- atexit handlers (registered by the program) run after the module, last first; what they raise is printed,
  the status stays;
- the recursion limit counts the module's frame as the first: run() raises the limit by the frames it sits
  under, so a program recursing 990 deep behaves as in a fresh process.
A limit (CPU time, wall clock) ends the call in the engine, which reports it as a timeout.

One limit MuTAP's processes did not have: the sandbox caps the address space (4 GiB). A program that grows without
bound (a mutant appending in a loop that no longer ends) gets a MemoryError here where MuTAP's process kept growing
until its 10 s timeout. `memoryCap` says that an uncaught MemoryError came after the program had used at least a
quarter of the cap (peak RSS), so the caller can read the run as MuTAP saw it; a MemoryError python3 raises anyway
(`[0] * 10**12` fails at once, without touching memory) has `memoryCap` false.
"""
import ast
import atexit
import builtins
import linecache
import os
import resource
import sys
import traceback

FILENAME = '/tmp/mutap/program.py'
STDOUT_CAP = 1 << 20
RECURSION_LIMIT = 1000


class _Sink:
    """sys.stdout / sys.stderr of the program: keeps at most STDOUT_CAP characters (or nothing)."""

    def __init__(self, keep):
        self.keep = keep
        self.parts = []
        self.size = 0
        self.encoding = 'utf-8'
        self.errors = 'strict'

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f'write() argument must be str, not {type(text).__name__}')
        if self.keep and self.size < STDOUT_CAP:
            self.parts.append(text[: STDOUT_CAP - self.size])
            self.size += len(text)
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        raise OSError('no file descriptor')

    def readable(self):
        return False

    def writable(self):
        return True

    def text(self):
        return ''.join(self.parts)


class _ExitCalled(BaseException):
    """os._exit(n) inside the program: the process would end at once with status n."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


def _exit_status(code, stderr):
    """The exit status of a process ended by SystemExit(code), as Py_Exit computes it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    stderr.write(f'{code}\n')
    return 1


def _depth():
    frame, depth = sys._getframe(), 0
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


def _format(error):
    """The traceback python3 prints for an uncaught exception, without run()'s own frame."""
    tb = error.__traceback__
    if tb is not None and tb.tb_frame.f_code.co_filename != FILENAME:
        tb = tb.tb_next
    return ''.join(traceback.format_exception(type(error), error, tb))


def _memory_cap(error_name):
    """An uncaught MemoryError after the peak RSS reached a quarter of the address-space cap."""
    if error_name != 'MemoryError':
        return False
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return False
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 >= soft // 4


def _lower_memory(megabytes):
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = int(megabytes) * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _parse(source):
    try:
        ast.parse(source)
        return {'ok': True, 'line': None}
    except SyntaxError as error:
        return {'ok': False, 'line': error.lineno}
    except ValueError:  # null bytes (3.11)
        return {'ok': False, 'line': None}


def _script(source, keep_stdout):
    out, err = _Sink(keep_stdout), _Sink(True)
    saved = sys.stdout, sys.stderr, sys.argv, os._exit, sys.getrecursionlimit(), atexit.register, atexit.unregister
    linecache.cache[FILENAME] = (len(source), None, source.splitlines(True), FILENAME)
    namespace = {'__name__': '__main__', '__builtins__': builtins, '__file__': FILENAME, '__doc__': None}
    status, name = 0, None

    def fake_exit(code):
        raise _ExitCalled(code)

    handlers = []

    def register(function, *args, **kwargs):
        handlers.append((function, args, kwargs))
        return function

    def unregister(function):
        handlers[:] = [h for h in handlers if h[0] != function]

    sys.stdout, sys.stderr, sys.argv = out, err, [FILENAME]
    os._exit, atexit.register, atexit.unregister = fake_exit, register, unregister
    try:
        try:
            code = compile(source, FILENAME, 'exec', dont_inherit=True)
            sys.setrecursionlimit(RECURSION_LIMIT + _depth() - 1)
            exec(code, namespace)
        except _ExitCalled as ended:
            return {'exit': ended.status & 0xFF, 'assertion': 'AssertionError' in err.text(), 'error': None,
                    'stdout': out.text() if keep_stdout else None, 'memoryCap': False}
        except SystemExit as ended:
            status = _exit_status(ended.code, err)
        except KeyboardInterrupt as error:
            err.write(_format(error))
            status, name = -2, 'KeyboardInterrupt'
        except BaseException as error:  # noqa: BLE001  (what the interpreter prints, then exit 1)
            err.write(_format(error))
            status, name = 1, type(error).__name__
        sys.setrecursionlimit(saved[4])
        while handlers:
            function, args, kwargs = handlers.pop()
            try:
                function(*args, **kwargs)
            except _ExitCalled as ended:
                status = ended.status & 0xFF
                break
            except SystemExit:
                pass
            except BaseException as error:  # noqa: BLE001  (printed as "Exception ignored in atexit callback")
                err.write(f'Exception ignored in atexit callback: {function!r}\n{_format(error)}')
        return {'exit': status, 'assertion': 'AssertionError' in err.text(), 'error': name,
                'stdout': out.text() if keep_stdout else None, 'memoryCap': _memory_cap(name)}
    finally:
        sys.stdout, sys.stderr, sys.argv, os._exit = saved[0], saved[1], saved[2], saved[3]
        atexit.register, atexit.unregister = saved[5], saved[6]
        sys.setrecursionlimit(saved[4])
        linecache.cache.pop(FILENAME, None)


def run(job):
    kind = job.get('kind')
    if kind == 'parse':
        return _parse(job['source'])
    if kind == 'script':
        if job.get('memoryMb'):
            _lower_memory(job['memoryMb'])
        return _script(job['source'], bool(job.get('stdout')))
    raise ValueError(f'unknown job kind {kind!r}')

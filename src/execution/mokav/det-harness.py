"""Mokav's difference-exposing-test harness (Refinery, techniques.md section 2): the engine's `runCalls` runs
`run(job)` in a fresh fork of a warm worker under one CPU limit (RLIMIT_CPU) and a wall ceiling, so a limit that
ends the call is the engine's TIMEOUT, not a verdict of this file.

Jobs (JSON; Python values travel in the encoding of `decode`):
- {"op": "det", "q": SUBJECT, "p": SUBJECT, "args": [ARG...]}: Q(*args) then P(*args), each on its own deep copy
  of the arguments, compared with `==`. Returns {"verdict", "q", "p", "error"} where verdict is DET, SAME,
  ERROR_IN_Q, ERROR_IN_P or ERROR; q and p are the returned values as `str` and `repr` texts (capped).
- {"op": "call", "subject": SUBJECT, "args": [ARG...]}: one version alone (difftest runs each revision in its own
  process: both define the same module names). Returns {"status": "ok" | "error", "repr", "str", "error"}.
- {"op": "trace", "subject": SUBJECT, "args": [ARG...]}: the execution-information tracer (E): every local
  variable of the subject's frames with the distinct `str` values it takes, in order of first appearance.
  Returns {"status", "vars": [[name, [value, ...]], ...], "str"}.

A SUBJECT is {"source": PYTHON, "function": NAME, "filename": LABEL} (the source is exec'd into a fresh module
namespace) or {"files": {RELATIVE_PATH: TEXT}, "module": DOTTED, "function": NAME} (a revision's Python files,
written into a fresh directory of the call's process and imported from there: the sandbox shows no user tree).
- {"op": "probe", "subject": SUBJECT}: loads it; returns {"status": "ok", "source": the function's source} or
  {"status": "load-error", "error"}.

Never a DET: an exception of either version, SystemExit included (`exit()` must see a normal interpreter, and a
crash is a crash), or a failure of the comparison itself. Program stdout/stderr are discarded and stdin reads
end-of-file at once (two C4B programs still call input()).
"""
import builtins
import copy
import importlib
import os
import sys
import tempfile

TEXT_CAP = 4000
TRACE_VALUE_CAP = 50


def decode(value):
    """JSON -> Python: lists stay lists; tagged objects carry what JSON cannot (tuples, floats, big ints, dicts)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if "__tuple__" in value:
            return tuple(decode(v) for v in value["__tuple__"])
        if "__float__" in value:
            return float(value["__float__"])
        if "__int__" in value:
            return int(value["__int__"])
        if "__dict__" in value:
            return {decode(k): decode(v) for k, v in value["__dict__"]}
        if "__set__" in value:
            return set(decode(v) for v in value["__set__"])
        if "__complex__" in value:
            return complex(value["__complex__"])
        if "__bytes__" in value:
            return bytes(value["__bytes__"])
        raise ValueError("unknown tagged value: %r" % sorted(value))
    return value


def _cap(text):
    return text if len(text) <= TEXT_CAP else text[:TEXT_CAP] + "..."


def _texts(value):
    try:
        as_str = str(value)
    except BaseException as error:  # noqa: BLE001 - a program's __str__ may raise anything
        as_str = "<str failed: %s>" % type(error).__name__
    try:
        as_repr = repr(value)
    except BaseException as error:  # noqa: BLE001
        as_repr = "<repr failed: %s>" % type(error).__name__
    return {"str": _cap(as_str), "repr": _cap(as_repr)}


class _Quiet:
    """Program output discarded, stdin at end of file; restored afterwards, whatever the program rebound."""

    def __enter__(self):
        self.saved = (sys.stdout, sys.stderr, sys.stdin)
        self.null_out = open(os.devnull, "w")
        self.null_in = open(os.devnull, "r")
        sys.stdout = sys.stderr = self.null_out
        sys.stdin = self.null_in
        return self

    def __exit__(self, *exc):
        sys.stdout, sys.stderr, sys.stdin = self.saved
        for stream in (self.null_out, self.null_in):
            try:
                stream.close()
            except BaseException:  # noqa: BLE001
                pass
        return False


def load(subject):
    """The subject's function and the code filename its frames carry."""
    if "source" in subject:
        filename = subject.get("filename", "<subject>")
        namespace = {"__name__": filename.strip("<>") or "subject", "__builtins__": builtins}
        exec(compile(subject["source"], filename, "exec"), namespace)
        return namespace[subject["function"]], filename
    # A revision's Python files, sent as data (the sandbox shows no user directory): written into a fresh
    # directory of this call's own process and imported from there.
    root = tempfile.mkdtemp(prefix="subject-")
    for relative, text in subject["files"].items():
        target = os.path.join(root, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
    sys.path.insert(0, root)
    module = importlib.import_module(subject["module"])
    function = module
    for part in subject["function"].split("."):
        function = getattr(function, part)
    return function, os.path.realpath(getattr(module, "__file__", "") or "")


def _raised_in(error, filename):
    """Whether a frame of the subject's own code is on the exception's traceback (else: the call itself failed)."""
    tb = error.__traceback__
    while tb is not None:
        code_file = tb.tb_frame.f_code.co_filename
        if code_file == filename or (filename and os.path.realpath(code_file) == filename):
            return True
        tb = tb.tb_next
    return False


def _det(job):
    args = decode(job["args"])
    try:
        q_function, q_file = load(job["q"])
    except BaseException as error:  # noqa: BLE001 - SyntaxError, ImportError, SystemExit at load: Q cannot run
        return {"verdict": "ERROR_IN_Q", "error": type(error).__name__}
    try:
        p_function, p_file = load(job["p"])
    except BaseException as error:  # noqa: BLE001
        return {"verdict": "ERROR_IN_P", "error": type(error).__name__}
    try:
        q_value = q_function(*copy.deepcopy(args))
    except BaseException as error:  # noqa: BLE001 - SystemExit and KeyboardInterrupt are crashes too
        return {"verdict": "ERROR_IN_Q" if _raised_in(error, q_file) else "ERROR", "error": type(error).__name__}
    try:
        p_value = p_function(*copy.deepcopy(args))
    except BaseException as error:  # noqa: BLE001
        verdict = "ERROR_IN_P" if _raised_in(error, p_file) else "ERROR"
        return {"verdict": verdict, "error": type(error).__name__, "q": _texts(q_value)}
    try:
        same = bool(q_value == p_value)
    except BaseException as error:  # noqa: BLE001
        return {"verdict": "ERROR", "error": type(error).__name__, "q": _texts(q_value), "p": _texts(p_value)}
    return {"verdict": "SAME" if same else "DET", "q": _texts(q_value), "p": _texts(p_value)}


def _call(job):
    args = decode(job["args"])
    try:
        function, _ = load(job["subject"])
    except BaseException as error:  # noqa: BLE001
        return {"status": "load-error", "error": "%s: %s" % (type(error).__name__, error)}
    try:
        value = function(*args)
    except BaseException as error:  # noqa: BLE001
        return {"status": "error", "error": type(error).__name__}
    texts = _texts(value)
    try:
        import ast

        literal = ast.literal_eval(texts["repr"]) == value
    except BaseException:  # noqa: BLE001
        literal = False
    return dict(status="ok", literal=literal, **texts)


def _trace(job):
    """Per local variable of the subject's own frames: its distinct str values (under 50 characters) in order."""
    args = decode(job["args"])
    try:
        function, filename = load(job["subject"])
    except BaseException as error:  # noqa: BLE001
        return {"status": "load-error", "error": type(error).__name__, "vars": []}
    seen = {}

    def record(frame):
        for name, value in frame.f_locals.items():
            try:
                text = str(value)
            except BaseException:  # noqa: BLE001
                continue
            values = seen.setdefault(name, [])
            if len(text) < TRACE_VALUE_CAP and text not in values:
                values.append(text)

    def local_tracer(frame, event, arg):
        record(frame)
        return local_tracer

    def global_tracer(frame, event, arg):
        if frame.f_code.co_filename != filename:
            return None
        return local_tracer

    status, out = "ok", {}
    sys.settrace(global_tracer)
    try:
        value = function(*args)
        out = _texts(value)
    except BaseException as error:  # noqa: BLE001
        status, out = "error", {"error": type(error).__name__}
    finally:
        sys.settrace(None)
    out.update(status=status, vars=[[name, values] for name, values in seen.items()])
    return out


def _probe(job):
    try:
        function, _ = load(job["subject"])
    except BaseException as error:  # noqa: BLE001
        return {"status": "load-error", "error": "%s: %s" % (type(error).__name__, error)}
    try:
        import inspect

        source = inspect.getsource(function)
    except BaseException:  # noqa: BLE001
        source = ""
    return {"status": "ok", "source": source}


OPS = {"det": _det, "call": _call, "trace": _trace, "probe": _probe}


def run(job):
    with _Quiet():
        return OPS[job["op"]](job)

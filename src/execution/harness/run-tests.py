# Refinery refine-loop test harness. build-test-program.ts prepends one line defining _PAYLOAD:
#   {"prompt": str, "code": str, "codeIncludesPrompt": bool, "entryPoint": str,
#    "tests": [{"id": str, "source": str}], "testTimeoutSec": float}
# It loads the task prompt and the candidate, runs every test on its own and prints one line
#   REFINERY_REPORT {json}
# to the real stdout. Nothing volatile (paths, times, addresses, hash order) may enter the report: it is
# recorded, compared on replay and turned into prompts.
import ast
import io
import json
import operator
import re
import signal
import sys
import traceback

_CANDIDATE = "<candidate>"
_TEST = "<test>"
_MAX_REPR = 300
_MAX_OUTPUT = 300
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


class _TestTimeout(BaseException):
    """Raised by the per-test timer; a BaseException so candidate `except Exception` cannot swallow it."""


def _clip(text, limit):
    text = _ADDRESS.sub("", text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _stable_repr(value, depth=0):
    """repr() with sets sorted (string hashing is salted per process) and object addresses removed."""
    if depth > 6:
        return "..."
    if isinstance(value, (set, frozenset)):
        items = sorted(_stable_repr(v, depth + 1) for v in value)
        if not items:
            return "set()" if isinstance(value, set) else "frozenset()"
        body = "{" + ", ".join(items) + "}"
        return body if isinstance(value, set) else "frozenset(" + body + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_stable_repr(v, depth + 1) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(_stable_repr(v, depth + 1) for v in value)
        return "(" + inner + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(_stable_repr(k, depth + 1) + ": " + _stable_repr(v, depth + 1) for k, v in value.items()) + "}"
    try:
        return repr(value)
    except BaseException as error:  # a broken __repr__ must not break the report
        return "<unrepresentable " + type(value).__name__ + ": " + type(error).__name__ + ">"


def _show(value):
    return _clip(_stable_repr(value), _MAX_REPR)


def _error_info(error, code_lines):
    """Type, message and the deepest line of the candidate involved, from the traceback's own frames."""
    info = {"type": type(error).__name__, "message": _clip(str(error), _MAX_REPR)}
    if isinstance(error, SyntaxError) and error.filename == _CANDIDATE and error.lineno:
        info["line"] = error.lineno
        info["message"] = _clip(error.msg or "", _MAX_REPR)
    else:
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename == _CANDIDATE:
                info["line"] = frame.lineno
                info["function"] = frame.name
                break
    line = info.get("line")
    if line and 0 < line <= len(code_lines):
        info["code"] = _clip(code_lines[line - 1].strip(), _MAX_REPR)
    return info


_COMPARISONS = {
    ast.Eq: ("==", operator.eq),
    ast.NotEq: ("!=", operator.ne),
    ast.Lt: ("<", operator.lt),
    ast.LtE: ("<=", operator.le),
    ast.Gt: (">", operator.gt),
    ast.GtE: (">=", operator.ge),
    ast.In: ("in", lambda a, b: a in b),
    ast.NotIn: ("not in", lambda a, b: a not in b),
    ast.Is: ("is", operator.is_),
    ast.IsNot: ("is not", operator.is_not),
}


def _expression(node):
    return compile(ast.Expression(body=node), _TEST, "eval")


def _check(source, scope):
    """Runs one assert. Returns the fields of a failed or passed result; exceptions propagate."""
    tree = ast.parse(source, _TEST, "exec")
    statement = tree.body[0] if len(tree.body) == 1 else None
    if not isinstance(statement, ast.Assert):
        exec(compile(tree, _TEST, "exec"), scope)
        return {"status": "passed"}
    test = statement.test
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _COMPARISONS:
        symbol, compare = _COMPARISONS[type(test.ops[0])]
        left = eval(_expression(test.left), scope)
        right = eval(_expression(test.comparators[0]), scope)
        if compare(left, right):
            return {"status": "passed"}
        if symbol == "==":
            return {"status": "failed", "expected": _show(right), "actual": _show(left)}
        return {"status": "failed", "comparison": symbol, "left": _show(left), "right": _show(right)}
    value = eval(_expression(test), scope)
    if value:
        return {"status": "passed"}
    return {"status": "failed", "value": _show(value)}


def _on_timer(signum, frame):
    raise _TestTimeout()


def _run_test(test, namespace, code_lines, timeout):
    result = {"id": test["id"]}
    try:
        ast.parse(test["source"], _TEST, "exec")
    except SyntaxError as error:
        result.update(status="invalid", error={"type": "SyntaxError", "message": _clip(error.msg or "", _MAX_REPR)})
        return result
    captured = io.StringIO()
    sys.stdout = captured
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        result.update(_check(test["source"], dict(namespace)))
    except _TestTimeout:
        result.update(status="timeout", timeoutSec=timeout)
    except AssertionError as error:  # an assert inside the candidate, or a multi-statement test
        result.update(status="failed", error=_error_info(error, code_lines))
    except BaseException as error:
        result.update(status="error", error=_error_info(error, code_lines))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        sys.stdout = sys.__stdout__
    output = captured.getvalue()
    if output:
        result["stdout"] = _clip(output, _MAX_OUTPUT)
    return result


def _load(payload):
    """Defines the prompt (its imports and stub) and then the candidate in one namespace."""
    namespace = {"__name__": "solution"}
    code = payload["code"]
    code_lines = code.splitlines()
    entry = payload["entryPoint"]
    captured = io.StringIO()
    sys.stdout = captured
    try:
        stub = None
        if not payload["codeIncludesPrompt"]:
            exec(compile(payload["prompt"], "<prompt>", "exec"), namespace)
            stub = namespace.get(entry)
        exec(compile(code, _CANDIDATE, "exec"), namespace)
        if namespace.get(entry) is stub or not callable(namespace.get(entry)):
            return namespace, code_lines, {"type": "MissingEntryPoint", "message": "the code does not define a function `" + entry + "`"}
    except BaseException as error:
        return namespace, code_lines, _error_info(error, code_lines)
    finally:
        sys.stdout = sys.__stdout__
    return namespace, code_lines, None


def main(payload):
    signal.signal(signal.SIGALRM, _on_timer)
    namespace, code_lines, load_error = _load(payload)
    report = {"loaded": load_error is None, "tests": []}
    if load_error is not None:
        report["loadError"] = load_error
    else:
        for test in payload["tests"]:
            report["tests"].append(_run_test(test, namespace, code_lines, payload["testTimeoutSec"]))
    sys.__stdout__.write("REFINERY_REPORT " + json.dumps(report, sort_keys=True) + "\n")
    sys.__stdout__.flush()
    failed = load_error is not None or any(t["status"] != "passed" for t in report["tests"])
    return 1 if failed else 0


sys.exit(main(_PAYLOAD))

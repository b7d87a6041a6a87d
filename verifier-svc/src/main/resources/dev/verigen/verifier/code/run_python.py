"""Runs one test case of a code_tests job in its own process: the candidate's code, then the case. Reports one
token-prefixed JSON line on the result descriptor and exits at once, so nothing the candidate left running delays it."""
import json
import math
import os
import sys
import traceback
import types

SOLUTION = "/verigen/solution.py"
SPEC = "/verigen/tests.json"


def main(index, fd, token):
    def report(status, message=""):
        line = token + " " + json.dumps({"status": status, "message": message[:2000]}, ensure_ascii=True) + "\n"
        try:
            os.write(fd, line.encode())
        finally:
            os._exit(0)

    with open(SPEC, encoding="utf-8") as f:
        spec = json.load(f)
    case = spec["cases"][index]
    with open(SOLUTION, encoding="utf-8", errors="replace") as f:
        solution = f.read()

    module = types.ModuleType("solution")
    module.__file__ = SOLUTION
    sys.modules["solution"] = module
    ns = module.__dict__
    test_file = "<test %d>" % index
    sources = {"solution.py": solution, test_file: case.get("code") or "", "tests.py": spec.get("source") or ""}

    def describe(e):
        text = "%s: %s" % (type(e).__name__, e) if str(e) else type(e).__name__
        where = None
        for frame, lineno in traceback.walk_tb(e.__traceback__):
            name = frame.f_code.co_filename
            if name in sources:
                where = (name, lineno)
        if isinstance(e, SyntaxError) and e.filename in sources:
            where = (e.filename, e.lineno)
        if where and where[1]:
            lines = sources[where[0]].splitlines()
            src = lines[where[1] - 1].strip() if 0 < where[1] <= len(lines) else ""
            text += " at %s line %d" % (where[0].strip("<>"), where[1]) + (": " + src if src else "")
        return text

    try:
        exec(compile(solution, "solution.py", "exec"), ns)
    except BaseException as e:
        report("error", "the solution failed to load: " + describe(e))

    entry = spec.get("entrypoint")
    if entry and not callable(ns.get(entry)):
        report("fail", "the solution defines no function '%s'" % entry)

    def call(fn, *args):
        result = fn(*args)
        if hasattr(result, "__await__"):
            import asyncio
            result = asyncio.run(result)
        return result

    try:
        kind = case["kind"]
        if kind == "code":
            exec(compile(case["code"], test_file, "exec"), ns)
        elif kind == "function":
            exec(compile(spec["source"], "tests.py", "exec"), ns)
            call(ns[case["name"]])
        elif kind == "call":
            got = call(ns[entry], *case.get("args", []))
            if not same(got, case.get("expected")):
                report("fail", "%s(%s) returned %s, expected %s" % (
                    entry, ", ".join(show(a) for a in case.get("args", [])), show(got), show(case.get("expected"))))
        else:
            report("error", "unknown test kind " + repr(kind))
    except BaseException as e:
        report("fail", describe(e))
    report("pass")


def same(got, expected):
    """JSON-shaped structural equality; never trusts a candidate object's __eq__."""
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(got) is bool and type(expected) is bool and got == expected
    if expected is None:
        return got is None
    if type(expected) in (int, float):
        if type(got) not in (int, float):
            return False
        if isinstance(got, float) or isinstance(expected, float):
            return math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9)
        return got == expected
    if type(expected) is str:
        return type(got) is str and got == expected
    if type(expected) is list:
        return type(got) in (list, tuple) and len(got) == len(expected) and all(
            same(g, x) for g, x in zip(got, expected))
    if type(expected) is dict:
        return type(got) is dict and set(got.keys()) == set(expected.keys()) and all(
            type(k) is str and same(got[k], expected[k]) for k in expected)
    return False


def show(value):
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = "<%s>" % type(value).__name__
    return text if len(text) <= 200 else text[:200] + "..."


if __name__ == "__main__":
    _index, _fd = int(sys.argv[1]), int(sys.argv[2])
    _token = sys.stdin.readline().strip()
    sys.stdin.close()
    sys.stdin = open(os.devnull)
    del sys.argv[1:]
    main(_index, _fd, _token)

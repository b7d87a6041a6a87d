"""Verigen code_tests harness: runs inside the sandbox, never runs candidate code itself.

Reads a per-run nonce from stdin, makes itself non-dumpable (so same-uid test processes cannot read its memory or
open its file descriptors through /proc), then runs every test case in a fresh child process with a wall-time limit
and reports one nonce-prefixed JSON line per test on stdout. After each test it kills every other process in the
sandbox's PID namespace, so nothing a test started survives into the next one.
"""
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time

SPEC_PATH = "/verigen/tests.json"


def make_undumpable():
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0
    except Exception:
        pass


def others():
    """Live processes of this PID namespace other than init (1) and this harness."""
    me = os.getpid()
    live = []
    try:
        names = os.listdir("/proc")
    except OSError:
        # no /proc (a sandbox inside a container may get none): ask the kernel instead whether any process is left
        # that we could signal; kill(-1) spares init and us
        try:
            os.kill(-1, 0)
            return [-1]
        except ProcessLookupError:
            return []
    for name in names:
        if not name.isdigit() or int(name) in (1, me):
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in (b"Z", b"X"):
            live.append(int(name))
    return live


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def sweep(deadline):
    """Kill everything in the namespace but init and us; wait until it is gone (reparented orphans are init's)."""
    while True:
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
        reap()
        if not others():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)


def read_result(fd, token):
    os.set_blocking(fd, False)
    data = b""
    try:
        while len(data) < 65536:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            data += chunk
    except BlockingIOError:
        pass
    finally:
        os.close(fd)
    prefix = token.encode() + b" "
    for line in data.split(b"\n"):
        if line.startswith(prefix):
            try:
                return json.loads(line[len(prefix):].decode("utf-8", "replace"))
            except ValueError:
                return None
    return None


def describe_exit(code):
    if code is None:
        return "did not finish"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "signal %d" % -code
        hint = {"SIGXCPU": " (CPU time limit)", "SIGXFSZ": " (output/file size limit)",
                "SIGKILL": " (killed)", "SIGSEGV": " (crashed)", "SIGABRT": " (aborted, e.g. out of memory)"}.get(name, "")
        return "killed by %s%s" % (name, hint)
    return "exited with status %d" % code


def run_case(spec, index, excerpt):
    token = secrets.token_hex(16)
    r, w = os.pipe()
    out = tempfile.TemporaryFile(dir="/tmp")
    env = {"PATH": "/usr/bin", "HOME": "/work", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONHASHSEED": "0", "TMPDIR": "/tmp"}
    cmd = list(spec["command"]) + [str(index), str(w)]
    started = time.monotonic()
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT, pass_fds=(w,),
                                cwd="/work", env=env, start_new_session=True)
    except OSError as e:
        os.close(r)
        os.close(w)
        return {"status": "error", "message": "could not start the test process: %s" % e, "spawn": True}
    os.close(w)
    timed_out = False
    try:
        try:
            proc.stdin.write(token.encode() + b"\n")
            proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(timeout=spec["testTimeoutMs"] / 1000.0)
        except subprocess.TimeoutExpired:
            timed_out = True
            proc.kill()
            proc.wait()
    finally:
        sweep(time.monotonic() + 2)
    ms = int((time.monotonic() - started) * 1000)
    result = read_result(r, token)
    out.seek(0)
    output = out.read(excerpt).decode("utf-8", "replace")
    out.close()
    if result is None:
        if timed_out:
            result = {"status": "timeout",
                      "message": "no result within %d ms (test time limit)" % spec["testTimeoutMs"]}
        else:
            result = {"status": "error", "message": "test process %s without reporting a result"
                                                      % describe_exit(proc.returncode)}
    result["ms"] = ms
    if output:
        result["output"] = output
    return result


def main():
    nonce = sys.stdin.readline().strip()
    sys.stdin.close()
    make_undumpable()
    stdout = sys.stdout

    def emit(obj):
        stdout.write(nonce + " " + json.dumps(obj, ensure_ascii=True) + "\n")
        stdout.flush()

    try:
        with open(SPEC_PATH, encoding="utf-8") as f:
            spec = json.load(f)
    except Exception as e:
        emit({"event": "harness_error", "message": "cannot read the test spec: %s" % e})
        return 2
    emit({"event": "start", "tests": len(spec["cases"])})
    excerpt = int(spec.get("outputExcerptBytes", 2048))
    for index in range(len(spec["cases"])):
        result = run_case(spec, index, excerpt)
        if result.pop("spawn", False):
            # fork bombs are swept after each test; a spawn failure with nothing else alive is the sandbox's
            if not others():
                emit({"event": "harness_error", "message": result["message"]})
                return 3
        result["event"] = "test"
        result["index"] = index
        emit(result)
    emit({"event": "end"})
    return 0


if __name__ == "__main__":
    sys.exit(main())

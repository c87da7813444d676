"""The parent side: run files through one worker process, with a timeout per file.

One worker imports TensorFlow once and traces the files one after another. When a file
kills it (timeout, segfault, memory), that file gets a problem and a fresh worker takes
the remaining files.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from typing import Callable

from tflint.trace.options import TraceOptions

STARTUP_TIMEOUT = 300.0  # importing TensorFlow on a loaded machine
_STDERR_TAIL = 8000
_DUMP_GRACE = 0.5  # seconds for faulthandler to write the hung worker's traceback


class WorkerDied(Exception):
    def __init__(self, problem: dict) -> None:
        super().__init__(problem["message"])
        self.problem = problem


class Worker:
    def __init__(self, options: TraceOptions) -> None:
        env = {**os.environ, "TFLINT_TRACE_MEMORY_GIB": str(options.memory_gib), "TF_CPP_MIN_LOG_LEVEL": "3",
               "PYTHONFAULTHANDLER": "1"}
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen([sys.executable, "-m", "tflint.trace.worker"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=self._stderr, env=env, start_new_session=True)
        self._buffer = b""
        self._path: str | None = None
        self._stderr_start = 0
        ready = self._next_event(time.monotonic() + STARTUP_TIMEOUT, "starting the trace worker")
        self.import_seconds = ready["import_seconds"]

    def trace(self, request: dict, timeout: float, on_event: Callable[[dict], None]) -> dict:
        self._path = request["path"]
        self._stderr_start = self._stderr.seek(0, os.SEEK_END)
        self._proc.stdin.write((json.dumps(request) + "\n").encode())
        self._proc.stdin.flush()
        deadline = time.monotonic() + timeout
        while True:
            event = self._next_event(deadline, f"tracing took longer than --trace-timeout {timeout:g} s")
            if event["event"] == "result":
                return event
            on_event(event)

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._kill()
        self._stderr.close()

    def _next_event(self, deadline: float, timeout_message: str) -> dict:
        with selectors.DefaultSelector() as sel:
            sel.register(self._proc.stdout, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    raise WorkerDied(self._stop_hung(timeout_message))
                chunk = os.read(self._proc.stdout.fileno(), 65536)
                if not chunk:
                    raise WorkerDied(self._death())
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def _kill(self) -> None:
        try:
            os.killpg(self._proc.pid, signal.SIGKILL)  # the worker's own session: it and its children
        except ProcessLookupError:
            pass
        self._proc.wait()

    def _stop_hung(self, message: str) -> dict:
        """Ask the worker's faulthandler where it is stuck (SIGUSR1), then kill it."""
        try:
            os.kill(self._proc.pid, signal.SIGUSR1)
            time.sleep(_DUMP_GRACE)
        except ProcessLookupError:
            pass
        self._kill()
        return {"kind": "timeout", "message": message, "line": user_frame(self._stderr_tail(), self._path)}

    def _death(self) -> dict:
        code = self._proc.wait()
        return describe_death(code, self._stderr_tail(), self._path)

    def _stderr_tail(self) -> str:
        """What the worker wrote to stderr while tracing the current file (its end)."""
        end = self._stderr.seek(0, os.SEEK_END)
        self._stderr.seek(max(self._stderr_start, end - _STDERR_TAIL))
        return self._stderr.read().decode(errors="replace")


def describe_death(returncode: int, stderr_tail: str, path: str | None) -> dict:
    """Name what killed the worker from its exit status and the end of its stderr; the line is
    the innermost frame of the user's file in faulthandler's traceback (most recent first)."""
    return {**_death_cause(returncode, stderr_tail), "line": user_frame(stderr_tail, path)}


def user_frame(stderr_tail: str, path: str | None) -> int | None:
    """The first (innermost) frame of the user's file in a faulthandler traceback."""
    if path is None:
        return None
    frames = re.findall(r'File "([^"]+)", line (\d+)', stderr_tail)
    return next((int(n) for f, n in frames if os.path.realpath(f) == os.path.realpath(path)), None)


def _death_cause(returncode: int, stderr_tail: str) -> dict:
    fatal = next((line.strip() for line in stderr_tail.splitlines() if line.startswith("Fatal Python error")), "")
    if any(s in stderr_tail for s in ("MemoryError", "std::bad_alloc", "Cannot allocate memory")):
        return {"kind": "memory", "message": f"ran out of memory under the trace memory limit ({fatal or 'killed'})",
                "line": None}
    if returncode < 0:
        name = signal.Signals(-returncode).name
        return {"kind": "crash", "message": f"the interpreter crashed ({name}{': ' + fatal if fatal else ''})",
                "line": None}
    return {"kind": "exit", "message": f"the process exited with status {returncode} while tracing", "line": None}


def trace_files(requests: list[dict], options: TraceOptions, on_event: Callable[[dict], None],
                timing: dict | None = None, worker: Worker | None = None) -> list[dict]:
    """One result per request; a worker death costs only the file that caused it. `worker`: one
    started beforehand (its TensorFlow import overlapping other work), closed here in any case."""
    results: list[dict] = []
    try:
        for request in requests:
            try:
                if worker is None:
                    worker = Worker(options)
                    if timing is not None:
                        timing.setdefault("import_seconds", []).append(worker.import_seconds)
                results.append(worker.trace(request, options.timeout, on_event))
            except WorkerDied as death:
                results.append({"path": request["path"], "target": request["target"], "problem": death.problem})
                if worker is not None:
                    worker.close()
                worker = None
    finally:
        if worker is not None:
            worker.close()
    return results

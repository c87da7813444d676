"""The parent side: run files through one worker process, with a timeout per file.

One worker imports TensorFlow once and traces the files one after another. When a file
kills it (timeout, segfault, memory), that file gets a problem and a fresh worker takes
the remaining files.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from typing import Callable

from tflint.trace.options import TraceOptions
from tflint.trace.processes import MARKER, end_strays

STARTUP_TIMEOUT = 300.0  # importing TensorFlow on a loaded machine
_STDERR_TAIL = 8000
_DUMP_GRACE = 0.5  # seconds for faulthandler to write the hung worker's traceback
_KEEPER_GRACE = 10.0  # seconds for the keeper to end what a dead worker left
HEARTBEAT_SECONDS = 5.0  # a `waiting` event this often while the worker imports or traces one file
_ENVELOPE = ("event", "pid", "nonce")  # the protocol's, not the result's


class WorkerDied(Exception):
    def __init__(self, problem: dict) -> None:
        super().__init__(problem["message"])
        self.problem = problem


class Worker:
    """One worker process, its keeper (on Linux) and what its files start (`processes.py`): all of it
    ends with each file's work, except the worker and the keeper, which wait for the next file."""

    def __init__(self, options: TraceOptions, on_event: Callable[[dict], None]) -> None:
        self._token = secrets.token_hex(8)
        env = {**os.environ, "TFLINT_TRACE_MEMORY_GIB": str(options.memory_gib), "TF_CPP_MIN_LOG_LEVEL": "3",
               "PYTHONFAULTHANDLER": "1", MARKER: self._token}
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen([sys.executable, "-m", "tflint.trace.worker"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=self._stderr, env=env, start_new_session=True)
        self._on_event = on_event
        self._buffer = b""
        self._path: str | None = None
        self._stderr_start = 0
        self._pid: int | None = None  # the worker's; self._proc is its keeper where there is one
        ready = self._next_event(time.monotonic(), STARTUP_TIMEOUT, "starting the trace worker",
                                 "importing TensorFlow", None)
        self._pid, self.import_seconds = ready["pid"], ready["import_seconds"]

    def trace(self, request: dict, timeout: float) -> dict:
        self._path = request["path"]
        self._stderr_start = self._stderr.seek(0, os.SEEK_END)
        nonce = secrets.token_hex(8)
        self._proc.stdin.write((json.dumps({**request, "nonce": nonce}) + "\n").encode())
        self._proc.stdin.flush()
        start, message = time.monotonic(), f"tracing took longer than --trace-timeout {timeout:g} s"
        while True:
            event = self._next_event(start, timeout, message, f"tracing {request['path']}", nonce)
            if event["event"] == "result":
                end_strays(self._token, self._proc.pid, spare=frozenset((self._proc.pid, self._pid)))
                return {k: v for k, v in event.items() if k not in _ENVELOPE}
            self._on_event(event)

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._kill()
        self._stderr.close()

    def _next_event(self, start: float, timeout: float, timeout_message: str, doing: str, nonce: str | None) -> dict:
        """The worker's next event about `nonce` (None: the ready event) before `start + timeout`; a line
        from anyone else (a copy the file forked) is dropped. Heartbeats go to on_event meanwhile."""
        while True:
            line = self._next_line(start, timeout, timeout_message, doing)
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict) and event.get("nonce") == nonce and self._pid in (None, event.get("pid")):
                return event

    def _next_line(self, start: float, timeout: float, timeout_message: str, doing: str) -> bytes:
        beat = start + HEARTBEAT_SECONDS * ((time.monotonic() - start) // HEARTBEAT_SECONDS + 1)
        with selectors.DefaultSelector() as sel:
            sel.register(self._proc.stdout, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                now = time.monotonic()
                if now >= start + timeout:
                    raise WorkerDied(self._stop_hung(timeout_message))
                if now >= beat:
                    self._on_event({"event": "waiting", "doing": doing, "seconds": now - start})
                    beat += HEARTBEAT_SECONDS
                if not sel.select(min(start + timeout, beat) - now):
                    continue
                chunk = os.read(self._proc.stdout.fileno(), 65536)
                if not chunk:
                    raise WorkerDied(self._death())
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _kill(self) -> None:
        end_strays(self._token, self._proc.pid)
        self._proc.wait()

    def _stop_hung(self, message: str) -> dict:
        """Ask the worker's faulthandler where it is stuck (SIGUSR1), then kill it."""
        try:
            os.kill(self._proc.pid, signal.SIGUSR1)  # the keeper passes it on
            time.sleep(_DUMP_GRACE)
        except ProcessLookupError:
            pass
        self._kill()
        return {"kind": "timeout", "message": message, "line": user_frame(self._stderr_tail(), self._path)}

    def _death(self) -> dict:
        """The worker is gone; the keeper ends what it left and exits as the worker did."""
        end_strays(self._token, self._proc.pid, spare=frozenset((self._proc.pid,)))
        try:
            self._proc.wait(timeout=_KEEPER_GRACE)
        except subprocess.TimeoutExpired:
            self._kill()
        return describe_death(self._proc.returncode, self._stderr_tail(), self._path)

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
                    worker = Worker(options, on_event)
                    if timing is not None:
                        timing.setdefault("import_seconds", []).append(worker.import_seconds)
                results.append(worker.trace(request, options.timeout))
            except WorkerDied as death:
                results.append({"path": request["path"], "target": request["target"], "problem": death.problem})
                if worker is not None:
                    worker.close()
                worker = None
    finally:
        if worker is not None:
            worker.close()
    return results

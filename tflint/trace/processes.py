"""The processes a traced file starts: found and ended when the file's work ends.

Two ways find them, on Linux. The worker's parent, its keeper, is a child subreaper: what a file
starts stays in the keeper's tree even past a double fork or `setsid`, and even after the worker
crashed. And every process carries the worker's marker in its environment (forks share the memory
/proc shows) unless it replaced its environment. They are stopped first, round after round until no
new one appears, then killed: a stopped process cannot fork. Without /proc (macOS), only the
worker's session is killed, as before.
"""

from __future__ import annotations

import ctypes
import os
import signal
import time

MARKER = "TFLINT_TRACE_WORKER"  # environment variable: the worker's token
_PR_SET_CHILD_SUBREAPER = 36
_ROUNDS = 50  # a file that forks without end is stopped a generation per round
_GONE_WAIT = 2.0  # seconds for killed processes to die


def become_subreaper() -> bool:
    """Adopt this process's orphaned descendants (Linux); False where the kernel cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_children() -> None:
    """Collect the exit status of dead children (adopted orphans included): no zombies pile up."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def end_strays(token: str, root: int, spare: frozenset[int] = frozenset()) -> None:
    """End `root`, every process in its tree and every one with the marker, except `spare` (and this
    process). Without /proc, only root's session, if root is not spared."""
    if not os.path.isdir("/proc/self"):
        if root not in spare:
            _kill_session(root)
        return
    stopped: set[int] = set()
    for _ in range(_ROUNDS):
        new = (strays(token, root) | {root}) - spare - stopped - {os.getpid()}
        if not new:
            break
        for pid in new:
            _signal(pid, signal.SIGSTOP)
        stopped |= new
    for pid in stopped:
        _signal(pid, signal.SIGKILL)
    _wait_gone(stopped - {root})  # root is its caller's child: the caller waits for it


def strays(token: str, root: int) -> set[int]:
    """Live processes in root's tree or with the worker's marker, root and this process excepted."""
    table = _process_table()
    needle = f"{MARKER}={token}".encode()
    found = {pid for pid, (_, _, environ) in table.items() if needle in environ}
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    todo = list(children.get(root, ()))
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo.extend(children.get(pid, ()))
    return {pid for pid in found if table[pid][1] != "Z"} - {root, os.getpid()}


def _process_table() -> dict[int, tuple[int, str, list[bytes]]]:
    """pid -> (parent pid, state, environment entries) of every process this user may read."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()  # the command name may hold spaces or ")"
            with open(f"/proc/{name}/environ", "rb") as f:
                environ = f.read().split(b"\0")
        except OSError:  # gone meanwhile, or another user's
            continue
        table[int(name)] = (int(fields[1]), fields[0].decode(), environ)
    return table


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _kill_session(leader: int) -> None:
    try:
        os.killpg(leader, signal.SIGKILL)  # it and its children that kept its session
    except (ProcessLookupError, PermissionError):
        pass


def _wait_gone(pids: set[int]) -> None:
    deadline = time.monotonic() + _GONE_WAIT
    while pids and time.monotonic() < deadline:
        pids = {pid for pid in pids if _alive(pid)}
        if pids:
            time.sleep(0.01)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False

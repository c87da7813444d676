"""--trace owns the processes a traced file starts, and binds each result to its file.

Without TensorFlow: a stand-in `tensorflow` package (an empty one, or one that sleeps) lets the real
worker run files that start processes and then raise, so each result is an import problem naming
its file. Processes are found by a marker in their argv or environment, as /proc shows them.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tflint.config import Settings
from tflint.trace import TraceOptions, _Progress, run, supervisor
from tflint.trace.supervisor import trace_files

pytestmark = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="lists processes through /proc")

SLEEPER = 'import time; time.sleep(300)'
# Each starts processes that would keep running, the ways a file can, then raises (or worse).
LEAVERS = {
    "popen.py": "subprocess.Popen([sys.executable, '-c', SLEEPER, MARK])\n",
    "fork.py": "if os.fork() == 0:\n    time.sleep(300)\n",
    "setsid.py": "subprocess.Popen([sys.executable, '-c', SLEEPER, MARK], start_new_session=True, env={})\n",
    "double_fork.py": ("if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
                       "        os.execve(sys.executable, [sys.executable, '-c', SLEEPER, MARK], {})\n"
                       "    os._exit(0)\n"),
}
PRELUDE = "# tensorflow\nimport os, subprocess, sys, time\nMARK = os.environ['TFLINT_TEST_MARK']\nSLEEPER = {!r}\n"


@pytest.fixture
def mark(tmp_path, monkeypatch):
    """A fake TensorFlow on the worker's path, and the marker every test process carries."""
    fake = tmp_path / "fake_tf" / "tensorflow"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("import os, time\ntime.sleep(float(os.environ.get('FAKE_TF_SLEEP', 0)))\n")
    repo = Path(__file__).resolve().parents[2]
    monkeypatch.setenv("PYTHONPATH", f"{repo}{os.pathsep}{fake.parent}")
    value = f"tflint-test-{uuid.uuid4().hex}"
    monkeypatch.setenv("TFLINT_TEST_MARK", value)
    yield value
    _kill_marked(value)  # a failing test must not leave its sleepers to the next


def _marked(value: str) -> list[int]:
    """Live processes with the marker in their argv or environment (zombies have neither)."""
    found = []
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            text = b"".join(Path(f"/proc/{name}/{part}").read_bytes() for part in ("cmdline", "environ"))
        except OSError:
            continue
        if value.encode() in text and int(name) != os.getpid():
            found.append(int(name))
    return found


def _kill_marked(value: str) -> None:
    for pid in _marked(value):
        try:
            os.kill(pid, 9)
        except OSError:
            pass


def _write(root: Path, name: str, body: str, ending: str = "raise RuntimeError(__file__)\n") -> dict:
    (root / name).write_text(PRELUDE.format(SLEEPER) + body + ending)
    return {"path": str(root / name), "target": "builtins"}


def _problems(results: list[dict]) -> list[tuple[str, str]]:
    return [(Path(r["path"]).name, r["problem"]["kind"]) for r in results]


def test_processes_a_file_starts_end_with_its_work(tmp_path, mark):
    requests = [_write(tmp_path, name, body) for name, body in LEAVERS.items()]
    results = trace_files(requests, TraceOptions(timeout=60), lambda event: None)
    assert _problems(results) == [(name, "import") for name in LEAVERS]
    assert all(r["problem"]["message"].endswith(f"{r['path']}") for r in results)
    assert _marked(mark) == []


@pytest.mark.parametrize("ending, kind", [("time.sleep(300)\n", "timeout"),
                                          ("os.kill(os.getpid(), 9)\n", "crash")])
def test_processes_end_after_a_timeout_or_a_crash(tmp_path, mark, ending, kind):
    request = _write(tmp_path, "bad.py", "".join(LEAVERS.values()), ending)
    results = trace_files([request], TraceOptions(timeout=3), lambda event: None)
    assert _problems(results) == [("bad.py", kind)]
    # where it hung: faulthandler's dump of the worker (the keeper passes the signal on)
    assert results[0]["problem"]["line"] == (len((tmp_path / "bad.py").read_text().splitlines())
                                             if kind == "timeout" else None)
    assert _marked(mark) == []


def test_a_forked_copy_of_the_worker_cannot_answer_for_another_file(tmp_path, mark):
    # both copies return from the file's import with a result; only the worker's counts
    requests = [_write(tmp_path, "forker.py", "os.fork()\n"), _write(tmp_path, "clean.py", ""),
                _write(tmp_path, "seq.py", "")]
    results = trace_files(requests, TraceOptions(timeout=60), lambda event: None)
    assert [(Path(r["path"]).name, r["problem"]["message"]) for r in results] == [
        (name, f"RuntimeError: {tmp_path / name}") for name in ("forker.py", "clean.py", "seq.py")]
    assert _marked(mark) == []


def test_heartbeat_while_tensorflow_imports_and_while_a_file_runs(tmp_path, mark, monkeypatch):
    monkeypatch.setattr(supervisor, "HEARTBEAT_SECONDS", 0.2)
    monkeypatch.setenv("FAKE_TF_SLEEP", "0.5")
    events = []
    trace_files([_write(tmp_path, "slow.py", "time.sleep(0.5)\n")], TraceOptions(timeout=60), events.append)
    doing = [e["doing"] for e in events if e["event"] == "waiting"]
    assert "importing TensorFlow" in doing and f"tracing {tmp_path / 'slow.py'}" in doing


class _Terminal:
    def __init__(self, tty: bool) -> None:
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("tty", [True, False])
def test_heartbeat_lines_only_on_a_terminal(tmp_path, mark, monkeypatch, tty):
    monkeypatch.setattr(supervisor, "HEARTBEAT_SECONDS", 0.2)
    stderr = _Terminal(tty)
    monkeypatch.setattr(sys, "stderr", stderr)
    _write(tmp_path, "slow.py", "time.sleep(0.5)\n")
    [found], traced = run([str(tmp_path / "slow.py")], [], Settings(), TraceOptions(timeout=60))
    assert found.code == "TFL903" and [m["verdict"] for m in traced] == ["no verdict"]
    assert (f"tflint: tracing {tmp_path / 'slow.py'} (0 s)\n" in stderr.text) is tty
    assert tty or stderr.text == ""


def test_a_heartbeat_ends_an_open_progress_line(capsys):
    progress = _Progress()
    progress.event({"event": "progress", "path": "m.py", "model": "model"})
    progress.event({"event": "waiting", "doing": "tracing m.py", "seconds": 5.2})
    progress.event({"event": "done", "path": "m.py", "model": "model", "seconds": 6.0, "converted": True})
    lines = capsys.readouterr().err.splitlines()
    assert lines[:2] == ["tflint: m.py: converting model...", "tflint: tracing m.py (5 s)"]
    assert lines[2].startswith("tflint: m.py: model converts in ") and len(lines) == 3


CASES = Path(__file__).resolve().parents[1] / "converter" / "trace_cases"


@pytest.mark.tensorflow
def test_cli_trace_of_a_forking_file_gives_one_result_per_file(tmp_path):
    """The issue's reproduction: the copy forked while importing forker.py traces its model too."""
    (tmp_path / "forker.py").write_text("import os\n\n" + "os.fork()\n" + (CASES / "functional_clean.py").read_text())
    shutil.copy(CASES / "functional_clean.py", tmp_path / "clean.py")
    shutil.copy(CASES / "custom_layer.py", tmp_path / "seq.py")
    value = f"tflint-test-{uuid.uuid4().hex}"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TFLINT_TEST_MARK": value}
    proc = subprocess.run([sys.executable, "-m", "tflint", "--trace", "--format", "json", "forker.py", "clean.py",
                           "seq.py"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    try:
        found = [(d["path"], d["code"], d["confirmed"]) for d in json.loads(proc.stdout)["diagnostics"]]
        assert found == [("seq.py", "TFL102", True)], proc.stderr
        assert _marked(value) == []
    finally:
        _kill_marked(value)

"""`tflint --trace`: import each file in a child process, really convert its model(s), confirm or
refute the static findings and add the converter's own (TFL9xx).

`run` is what the CLI calls; `trace` gives the raw per-file results (tests, benchmarks). Nothing
imported here loads TensorFlow: everything that does runs in the worker process. The engine (and
libcst) is imported only when a trace runs: the CLI imports this package's options at start-up.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from tflint.config import Settings
from tflint.report.diagnostics import Diagnostic, file_noqa_codes, silenced_by_comment
from tflint.trace.options import TraceOptions

__all__ = ["Starting", "TraceOptions", "run", "trace"]


def progress_for(options: TraceOptions) -> "_Progress | None":
    """Progress lines on stderr, for a person watching a terminal (not with --quiet)."""
    return _Progress() if sys.stderr.isatty() and not options.quiet else None


class Starting:
    """A trace worker being started in the background: its TensorFlow import (seconds) overlaps the
    static half of the run. `worker()` waits for it; None if it died starting (`trace` starts another,
    which reports why)."""

    def __init__(self, options: TraceOptions) -> None:
        _need_tensorflow()
        self.progress = progress_for(options)  # heartbeats while TensorFlow imports
        self._started: list = []
        self._thread = threading.Thread(target=self._start, args=(options,), daemon=True)
        self._thread.start()

    def _start(self, options: TraceOptions) -> None:
        from tflint.trace.supervisor import Worker, WorkerDied

        try:
            self._started.append(Worker(options, self.progress.event if self.progress else _ignore))
        except WorkerDied:
            pass

    def worker(self):
        self._thread.join()
        return self._started[0] if self._started else None


def run(files: list[str], diagnostics: list[Diagnostic], settings: Settings, options: TraceOptions,
        starting: Starting | None = None) -> tuple[list[Diagnostic], list[dict]]:
    """`diagnostics` with `confirmed` set (refuted errors lowered to info), plus the TFL9xx findings;
    and what was traced (summary.py: one entry per model)."""
    from tflint.trace.report import diagnostics_for, real, refute
    from tflint.trace.summary import traced_models

    progress = starting.progress if starting else progress_for(options)
    results = trace(files, settings, options, progress.event if progress else None,
                    worker=starting.worker() if starting else None)
    static = [d for d in diagnostics if not d.code.startswith("TFL9")]
    added = [d for result in results for d in diagnostics_for(result, static, settings)]
    refute(static)
    # A helper file the traced models were built from is no model file: "nothing to convert" is noise there.
    helpers = {real(p) for r in results for m in r.get("models", ()) for p, _ in m.get("lines", ())}
    added = [d for d in added if not (d.code == "TFL904" and real(d.path) in helpers)]
    return diagnostics + _not_silenced(added, settings), traced_models(results)


def _not_silenced(found: list[Diagnostic], settings: Settings) -> list[Diagnostic]:
    """The --trace findings that no `# noqa` on their line, nor the file's `# tflint: noqa`, silences."""
    texts = {path: _read(path) or "" for path in {d.path for d in found}}
    lines = {path: text.splitlines() for path, text in texts.items()}
    in_file = {path: file_noqa_codes(text) for path, text in texts.items()}
    kept = []
    for d in found:
        line = lines[d.path][d.span.line - 1] if 0 < d.span.line <= len(lines[d.path]) else ""
        if not silenced_by_comment(d.code, line, in_file[d.path], settings.noqa):
            kept.append(d)
    return kept


def _ignore(event: dict) -> None:
    pass


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None  # already reported as TFL002


def _target(text: str, settings: Settings) -> str:
    from tflint.engine import FileProblem, file_target

    try:
        return file_target(text, settings.target)
    except FileProblem:
        return settings.target  # the static half reports the bad pragma (TFL003)


def _need_tensorflow() -> None:
    if importlib.util.find_spec("tensorflow") is None:
        raise ValueError("--trace needs TensorFlow: pip install 'tflint[trace]'")


def trace(files: list[str], settings: Settings, options: TraceOptions,
          on_event: Callable[[dict], None] | None = None, timing: dict | None = None, worker=None) -> list[dict]:
    """The worker's raw result for each file that names TensorFlow or Keras (see worker.py)."""
    _need_tensorflow()
    from tflint.source.prefilter import mentions_tf

    requests = []
    for path in files:
        text = _read(path)
        # Only files the static half would lint are imported: user code runs only where it must.
        if text is not None and mentions_tf(text):
            requests.append(_request(path, _target(text, settings), options))
    from tflint.trace.supervisor import trace_files  # not at start-up: the CLI imports this package for its options

    return trace_files(requests, options, on_event or (lambda event: None), timing, worker)


def _request(path: str, target: str, options: TraceOptions) -> dict:
    return {"path": path, "target": target, "entries": list(options.entries),
            "input_shapes": [s.to_json() for s in options.input_shapes]}


class _Progress:
    """On a terminal: one stderr line per model, `converting path:model... converts in N s` (fails, no
    verdict), and every few seconds while TensorFlow imports or a file runs, `tflint: tracing path (12 s)`."""

    def __init__(self) -> None:
        self._start = 0.0
        self._line_open = False  # a "converting" line waits for its "done"

    def event(self, event: dict) -> None:
        if event["event"] == "progress":
            self._start = time.monotonic()
            self._line_open = True
            print(f"tflint: {event['path']}: converting {event['model']}...", end="", file=sys.stderr, flush=True)
        elif event["event"] == "done":
            verdict = {True: "converts", False: "fails"}.get(event.get("converted"), "no verdict")
            lead = "" if self._line_open else f"tflint: {event['path']}: {event['model']}"
            print(f"{lead} {verdict} in {time.monotonic() - self._start:.1f} s", file=sys.stderr, flush=True)
            self._line_open = False
        elif event["event"] == "waiting":
            lead = "\n" if self._line_open else ""
            print(f"{lead}tflint: {event['doing']} ({event['seconds']:.0f} s)", file=sys.stderr, flush=True)
            self._line_open = False

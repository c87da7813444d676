"""The evaluation set's scorer counts line-level hits, misses and false alarms right."""

import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))

import evalset_score  # noqa: E402

def verdict(converts, *failures):
    return {"converts": converts, "route": "concrete", "message": "",
            "failures": [{"line": line, "op": op, "code": "ERROR_NEEDS_FLEX_OPS", "located_by": "frame"}
                         for line, op in failures]}


def finding(path, line, severity="error", end_line=None, code="TFL102"):
    return {"path": path, "line": line, "end_line": end_line or line, "severity": severity, "code": code, "op": "X"}


SYNTHETIC_LABELS = {
    "a.py": {"builtins": verdict(False, (10, "MatrixInverse"), (10, "AsString"), (20, "ResizeBicubic"))},
    "b.py": {"builtins": verdict(False, (7, "Roll"), (None, "TensorListReserve"))},
    "c.py": {"builtins": verdict(True)},
    "d.py": {"error": "ImportError: no module named foo"},
}


def test_score_counts_lines_spans_and_warnings():
    findings = [
        finding("a.py", 9, end_line=11),              # its span covers line 10: TP
        finding("a.py", 10, code="TFL103"),           # the same line again: still one TP
        finding("a.py", 30),                          # no failure there: FP
        finding("a.py", 20, severity="warning"),      # a warning on a failing line: not a TP
        finding("sub/b.py", 8),                       # off by one line: FP, and line 7 is missed
        finding("c.py", 3), finding("c.py", 3),       # a converting file: one FP (one span)
        finding("c.py", 4, severity="warning"),
    ]
    result = evalset_score.score(SYNTHETIC_LABELS, findings, "builtins")
    assert (result.files, result.failing_files) == (3, 2)
    assert (result.tp, result.fp, result.fn) == (1, 3, 2)
    assert result.precision == pytest.approx(1 / 4)
    assert result.recall == pytest.approx(1 / 3)
    assert result.f1 == pytest.approx(2 * (1 / 4) * (1 / 3) / (1 / 4 + 1 / 3))
    assert (result.warnings, result.warnings_on_failing_lines) == (2, 1)
    assert result.misses == ["a.py:20 ResizeBicubic ERROR_NEEDS_FLEX_OPS", "b.py:7 Roll ERROR_NEEDS_FLEX_OPS"]
    assert result.false_alarms == ["a.py:30 TFL102 X (the file fails elsewhere)", "b.py:8 TFL102 X (the file fails elsewhere)",
                                   "c.py:3 TFL102 X"]
    assert result.misplaced == 2
    assert result.unlocated == ["b.py TensorListReserve ERROR_NEEDS_FLEX_OPS"]
    assert result.unlabelled == ["d.py: ImportError: no module named foo"]


def test_perfect_and_empty_scores():
    findings = [finding("a.py", 10), finding("a.py", 20), finding("b.py", 7)]
    perfect = evalset_score.score(SYNTHETIC_LABELS, findings, "builtins")
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    silent = evalset_score.score(SYNTHETIC_LABELS, [], "builtins")
    assert (silent.tp, silent.fp, silent.fn) == (0, 0, 3)
    assert (silent.precision, silent.recall, silent.f1) == (1.0, 0.0, 0.0)

"""--trace agrees with every fixture: each static error is confirmed by the converter, and each
fixture without one converts (and computes the same). One worker per target traces them all."""

from collections import defaultdict
from pathlib import Path

import pytest

from tflint import trace
from tflint.config import Settings
from tflint.report.diagnostics import Severity
from tflint.engine import file_target
from tflint.trace import TraceOptions
from tflint.trace.report import diagnostics_for

from tests.support.expectations import lint

pytestmark = pytest.mark.tensorflow
FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures").glob("*.py"))


@pytest.fixture(scope="module")
def traced():
    """path -> (static findings marked by --trace, added TFL9xx findings, raw result)."""
    by_target = defaultdict(list)
    for path in FIXTURES:
        by_target[file_target(path.read_text(), "builtins")].append(path)
    out = {}
    for target, paths in by_target.items():
        settings = Settings(target=target)
        results = trace.trace([str(p) for p in paths], settings, TraceOptions())
        for path, result in zip(paths, results):
            static = lint(path.read_text(), path=str(path)).diagnostics
            out[path] = (static, diagnostics_for(result, static, settings), result)
    return out


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_trace_confirms_every_static_error_and_converts_every_clean_fixture(traced, path):
    static, added, result = traced[path]
    errors = [d for d in static if d.severity == Severity.ERROR]
    assert "problem" not in result and result["models"], result
    assert [(d.span.line, d.code) for d in errors if d.confirmed is not True] == []
    if not errors:
        assert all(m.get("converted") for m in result["models"]), result["models"]
        assert [f"{d.code} {d.message}" for d in added if d.severity == Severity.ERROR] == []

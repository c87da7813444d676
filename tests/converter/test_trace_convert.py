"""--trace with the real converter, on the models in tests/trace_cases/.

Each fixture below runs one worker process over several case files (one TensorFlow import
shared, as the CLI does); a case that kills its worker costs one restart.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tflint import engine, trace
from tflint.config import Settings
from tflint.report.diagnostics import Severity
from tflint.trace import TraceOptions
from tflint.trace.options import parse_input_shape
from tflint.trace.report import diagnostics_for

pytestmark = pytest.mark.tensorflow

CASES = Path(__file__).parent / "trace_cases"
# Files that kill their worker go last: each costs a fresh worker for the files after it.
BATCH = ("custom_layer", "helper_function", "functional_clean", "module_inverse", "confirm_mixed", "import_raises",
         "memory_hog", "no_model", "subclassed", "segfaults", "aborts")


def _case(name: str) -> str:
    return str(CASES / f"{name}.py")


def _traced(names, settings=Settings(), options=TraceOptions()):
    """Static findings, marked by --trace, plus its own, per case name; and the raw results."""
    files = [_case(n) for n in names]
    static = [d for f in files for d in engine.lint_file(f, settings).diagnostics]
    results = trace.trace(files, settings, options)
    by_path = {}
    for d in static:
        by_path.setdefault(d.path, []).append(d)
    found = {Path(r["path"]).stem: list(by_path.get(r["path"], [])) for r in results}
    for r in results:
        found[Path(r["path"]).stem] += diagnostics_for(r, by_path.get(r["path"], []), settings)
    return found, {Path(r["path"]).stem: r for r in results}


@pytest.fixture(scope="module")
def batch():
    return _traced(BATCH)


def _only(found, name):
    [d] = found[name]
    return d


def test_op_failing_in_custom_layer_call_is_reported_at_that_line(batch):
    d = _only(batch[0], "custom_layer")
    assert (d.code, d.span.line, d.op, d.confirmed) == ("TFL102", 9, "Erf", True)
    [failure] = batch[1]["custom_layer"]["models"][0]["failures"]
    assert failure["line"] == 9 and "'tf.Erf' op is neither a custom op nor a flex op" in failure["message"]


def test_failure_in_helper_function_is_reported_in_the_helper(batch):
    d = _only(batch[0], "helper_function")
    assert (d.code, d.span.line, d.op, d.confirmed) == ("TFL102", 6, "Erf", True)


def test_failures_no_static_rule_predicted_become_tfl901_at_the_users_line():
    found, _ = _traced(["custom_layer", "helper_function"], settings=Settings(select=("TFL9",)))
    layer, helper = _only(found, "custom_layer"), _only(found, "helper_function")
    assert (layer.code, layer.span.line, layer.op) == ("TFL901", 9, "Erf")
    assert "'tf.Erf' op is neither a custom op nor a flex op" in layer.message and "from_keras_model" in layer.message
    assert (helper.code, helper.span.line, helper.op) == ("TFL901", 6, "Erf")


def test_keras3_functional_model_converts_and_computes_the_same(batch):
    found, results = batch
    assert found["functional_clean"] == []
    [model] = results["functional_clean"]["models"]
    assert model["converted"] and model["route"] == "from_keras_model"
    assert model["parity"]["ok"] and model["parity"]["max_rel"] < 1e-4


def test_tf_module_failure_confirms_the_static_finding_at_its_line(batch):
    d = _only(batch[0], "module_inverse")
    assert (d.code, d.span.line, d.confirmed) == ("TFL102", 12, True)
    [model] = batch[1]["module_inverse"]["models"]
    assert model["name"] == "solver.__call__" and model["failures"][0]["line"] == 12


def test_static_findings_confirmed_and_refuted(batch):
    confirmed = {d.code: d.confirmed for d in batch[0]["confirm_mixed"]}
    assert confirmed == {"TFL101": False, "TFL102": True}


@pytest.mark.parametrize("name, line, words", [
    ("import_raises", 5, "importing the file raised KeyError: 'conv'"),
    ("memory_hog", 5, "ran out of memory: MemoryError"),
    ("segfaults", 6, "the interpreter crashed (SIGSEGV"),
    ("aborts", 6, "the interpreter crashed (SIGABRT"),
])
def test_file_that_cannot_be_traced_is_tfl903_naming_what_happened(batch, name, line, words):
    d = _only(batch[0], name)
    assert (d.code, d.span.line, d.severity) == ("TFL903", line, Severity.ERROR)
    assert words in d.message


def test_no_model_and_unknown_input_shape_are_info(batch):
    assert _only(batch[0], "no_model").code == "TFL904"
    d = _only(batch[0], "subclassed")
    assert d.code == "TFL904" and d.severity == Severity.INFO and "--input-shape" in d.message


def test_input_shape_lets_a_subclassed_model_convert():
    found, results = _traced(["subclassed"], options=TraceOptions(input_shapes=(parse_input_shape("1,3"),)))
    assert found["subclassed"] == [] and results["subclassed"]["models"][0]["converted"]


def test_hanging_file_is_killed_at_timeout_and_the_run_goes_on():
    found, _ = _traced(["hangs", "helper_function"], options=TraceOptions(timeout=4))
    d = _only(found, "hangs")
    assert (d.code, d.span.line) == ("TFL903", 7) and "--trace-timeout 4 s; the process was killed" in d.message
    assert _only(found, "helper_function").confirmed is True


def test_cli_json_stays_clean_and_exit_code_reflects_trace_findings(tmp_path):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run([sys.executable, "-m", "tflint", "--trace", "--format", "json", _case("custom_layer")],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1 and proc.stderr == ""
    assert [(d["code"], d["line"], d["confirmed"]) for d in doc["diagnostics"]] == [("TFL102", 9, True)]
    [entry] = doc["trace"]["models"]
    assert entry["verdict"] == "fails" and "memory" not in entry  # it does not convert: no figures


def test_cli_budget_and_figures_of_a_converted_model(tmp_path):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    argv = [sys.executable, "-m", "tflint", "--trace", "--max-model-size", "1K", _case("functional_clean")]
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    [finding, summary, figures] = proc.stdout.splitlines()
    assert proc.returncode == 1 and " TFL909 --trace: model: its .tflite file is " in finding
    assert "over the budget of 1.0 KB (1024 bytes)" in finding
    assert summary.startswith("tflint --trace: 1 model in 1 file: 1 convert")
    assert figures.startswith(f"tflint --trace: {_case('functional_clean')}:") and "(weights " in figures


def test_a_confirmed_tensorlist_finding_covers_all_its_flex_ops_under_select():
    """TFL301 names the loop's TensorList ops: --trace adds no TFL905 for the same loop."""
    path = Path(__file__).resolve().parents[2] / "fixtures" / "rnn_dynamic_batch.py"
    settings = Settings(target="select")
    static = engine.lint_file(str(path), settings).diagnostics
    [result] = trace.trace([str(path)], settings, TraceOptions())
    added = diagnostics_for(result, static, settings)
    assert [(d.code, d.confirmed) for d in static] == [("TFL301", True)]
    # No TFL905; the interpreter cannot run Flex ops, and the skipped parity check says so.
    [skipped] = added
    assert skipped.code == "TFL906" and "Select TensorFlow op(s)" in skipped.message

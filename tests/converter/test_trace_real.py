"""--trace on models as people write them (issue 12): dict inputs, a failure in a file the model
imports, the converter's word on static errors, a verified way out, parity on the model's domain.

One worker traces every case file (one TensorFlow import), through `trace.run` as the CLI does.
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
from tflint.trace.convert import WRAPPER_ROUTE

pytestmark = pytest.mark.tensorflow

CASES = Path(__file__).parent / "trace_cases"
BATCH = ("dict_inputs", "located_driver", "newaxis_in_builder", "dead_code_error", "nms_random_boxes",
         "nms_own_boxes", "string_input")


def _run(names, settings=Settings()):
    """Diagnostics per case name (static, marked by --trace, and TFL9xx), and what was traced per case."""
    files = [str(CASES / f"{n}.py") for n in names]
    static = [d for f in files for d in engine.lint_file(f, settings).diagnostics]
    diagnostics, traced = trace.run(files, static, settings, TraceOptions())
    found = {}
    for d in diagnostics:
        found.setdefault(Path(d.path).stem, []).append(d)
    return found, {Path(m["path"]).stem: m for m in traced}


@pytest.fixture(scope="module")
def batch():
    return _run(BATCH)


def test_dict_input_model_converts_by_the_list_input_wrapper_and_says_so(batch):
    found, traced = batch
    model = traced["dict_inputs"]
    assert model["verdict"] == "converts" and model["route"] == WRAPPER_ROUTE
    [tried] = model["routes_tried"]
    assert tried == {"route": "from_keras_model", "problem": "TypeError: 'NoneType' object is not callable"}
    # Integers bounded by the 2-entry segment embedding: parity ran, and agrees.
    assert model["parity"]["ok"] and "integers in [0, 2)" in model["parity"]["inputs"]
    assert found.get("dict_inputs", []) == []


def test_failure_is_located_in_the_imported_file_with_the_chain_back(batch):
    found, traced = batch
    [d] = found["located_lib"]
    assert (d.code, d.span.line, d.op) == ("TFL901", 6, "StridedSlice")
    assert [(Path(r.path).name, r.span.line) for r in d.related] == [("located_driver.py", 6),
                                                                     ("located_driver.py", 8)]
    assert traced["located_driver"]["verdict"] == "fails"


def test_a_static_finding_in_the_imported_file_is_judged_by_the_drivers_trace():
    """Linted together, the helper's own finding is the failure: no TFL901, no "nothing to convert"."""
    found, _ = _run(["located_driver", "located_lib"])
    [d] = found["located_lib"]
    assert (d.code, d.span.line, d.confirmed, d.severity) == ("TFL203", 6, True, Severity.ERROR)
    assert "located_driver" not in found


def test_fixed_shape_way_out_is_a_real_conversion_and_a_fix_it(batch):
    found, traced = batch
    way = traced["located_driver"]["way_out"]
    assert way["converts"] and way["change"] == "fixed shapes" and way["shapes"] == [[1, 16]]
    [d] = found["located_lib"]
    assert "way out: converts with a fixed batch of 1" in d.message and "set batch_size=1" in d.message


def test_indexing_in_a_functional_builder_is_located_on_its_line_not_the_def(batch):
    [d] = batch[0]["newaxis_in_builder"]
    assert (d.code, d.span.line, d.confirmed, d.severity) == ("TFL203", 7, True, Severity.ERROR)
    found, _ = _run(["newaxis_in_builder"], Settings(select=("TFL9",)))
    [d] = found["newaxis_in_builder"]
    assert (d.code, d.span.line) == ("TFL901", 7)


def test_static_error_on_a_model_that_converts_is_refuted_and_no_longer_an_error(batch):
    [d] = batch[0]["dead_code_error"]
    assert (d.code, d.confirmed, d.severity) == ("TFL102", False, Severity.INFO)


def test_parity_mismatch_only_on_degenerate_boxes_is_a_warning_naming_the_inputs(batch):
    found, traced = batch
    [d] = found["nms_random_boxes"]
    assert (d.code, d.severity) == ("TFL902", Severity.WARNING)
    assert "floats uniform in [-1, 1)" in d.message and "computes the same on" in d.message
    assert traced["nms_random_boxes"]["parity"]["in_domain"] is False


def test_parity_on_the_files_own_valid_boxes_is_exact(batch):
    found, traced = batch
    parity = traced["nms_own_boxes"]["parity"]
    assert parity["ok"] and parity["max_rel"] == 0.0 and parity["inputs"] == "the file's own SAMPLE_INPUTS"
    assert found.get("nms_own_boxes", []) == []


def test_skipped_parity_check_says_why(batch):
    [d] = batch[0]["string_input"]
    assert (d.code, d.severity) == ("TFL906", Severity.INFO)
    assert "numeric parity not checked: ValueError: cannot make sample inputs of dtype string" in d.message


def _cli(*args, cwd):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run([sys.executable, "-m", "tflint", "--trace", *args, str(CASES / "dead_code_error.py")],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=300)
    assert proc.returncode == 0, proc.stderr  # the refuted error is info now: nothing fails the run
    return proc.stdout


def test_cli_says_what_was_traced_and_counts_refuted_findings(tmp_path):
    lines = _cli("--statistics", cwd=tmp_path).splitlines()
    summary = "tflint --trace: 1 model in 1 file: 1 convert, 0 fail, 0 without a verdict (routes: from_keras_model)"
    assert summary in lines
    assert lines[-1].startswith("1      refuted by --trace")
    doc = json.loads(_cli("--format", "json", cwd=tmp_path))
    [model] = doc["trace"]["models"]
    assert (model["model"], model["verdict"], model["route"], model["line"]) == ("model", "converts",
                                                                                 "from_keras_model", 16)
    assert [(d["code"], d["severity"], d["confirmed"]) for d in doc["diagnostics"]] == [("TFL102", "info", False)]

"""`tflint --trace --report PATH` end to end: a file with a two-output model that converts and a
module that needs Select TF ops, traced by the real converter; the JSON findings stay as they were
and the page holds both models, their ops and one parity bar per output."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.html_page import Page, chart

pytestmark = pytest.mark.tensorflow

CASE = Path(__file__).parent / "trace_cases" / "report_two_models.py"


def trace_with_report(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """The CLI on the case, writing `report.html` into `folder`."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run([sys.executable, "-m", "tflint", "--trace", "--report", "report.html", *args, str(CASE)],
                          capture_output=True, text=True, env=env, cwd=folder, timeout=300)


def test_the_report_shows_what_was_traced_and_the_findings_stay(tmp_path):
    proc = trace_with_report(tmp_path, "--format", "json")
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1 and proc.stderr == "tflint: wrote the trace report to report.html\n"
    assert [(d["code"], d["line"], d["confirmed"]) for d in doc["diagnostics"]] == [("TFL102", 15, True)]
    detector, solver = doc["trace"]["models"]
    assert [o["output"] for o in detector["parity"]["outputs"]] == ["output_0", "output_1"]
    assert solver["way_out"]["ops"] == ["FlexMatrixInverse"]
    [failure] = solver["failures"]
    assert (failure["op"], failure["path"], failure["line"]) == ("MatrixInverse", str(CASE), 15)
    html = (tmp_path / "report.html").read_text()
    page = Page(html)
    sections = page.find("section", "model")
    assert [(s["data-verdict"], s["text"].split()[1]) for s in sections] == [("converts", "detector"),
                                                                              ("fails", "solver.__call__")]
    ops = [row["text"] for row in page.find("tr", "op")]
    assert ops == [f"{op}builtinconvertsconvertsunknownconverts" for op in detector["ops"]] + [
        "FlexMatrixInverseSelect TF opfailsconvertsfailsfails"]
    assert len(chart(html, "parity").find("rect", "bar")) == 2
    assert failure["message"] in page.find("ul", "failures")[0]["text"]
    assert f"{detector['memory']['model_bytes']} bytes" in sections[0]["text"]

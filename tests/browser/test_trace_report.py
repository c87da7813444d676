"""The `--trace --report` page in headless Chromium: what a person sees of a real trace (the
models, their op rows, one parity bar per output on screen), and untrusted names shown as text."""

from __future__ import annotations

import json

import pytest

from tests.converter.test_trace_report import trace_with_report
from tests.support.browser import Browser, require_browser
from tflint import knowledge
from tflint.trace import report_page

pytestmark = pytest.mark.browser

SHOWN = ("return [...document.querySelectorAll(arguments[0])].filter(e => e.getClientRects().length)"
         ".map(e => e.innerText ?? e.textContent)")  # what is on screen; SVG text has no innerText
BARS = ("return [...document.querySelectorAll('svg.chart.parity rect.bar')]"
        ".map(e => Math.round(e.getBoundingClientRect().width))")


@pytest.fixture(scope="module")
def browser():
    chromium, driver = require_browser()
    opened = Browser(chromium, driver)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def traced_run(tmp_path_factory):
    """The case traced once with --report: the report's address and the JSON's `trace.models`."""
    folder = tmp_path_factory.mktemp("report")
    proc = trace_with_report(folder, "--format", "json")
    assert proc.returncode == 1  # the case's TFL102
    return (folder / "report.html").as_uri(), json.loads(proc.stdout)["trace"]["models"]


@pytest.fixture
def traced(browser, traced_run):
    """The browser showing the report; the models traced."""
    address, models = traced_run
    browser.get(address)
    return models


@pytest.mark.tensorflow
def test_each_traced_model_is_shown_with_its_verdict(browser, traced):
    headings = browser.run(SHOWN, "section.model h2")
    assert [h.split()[:2] for h in headings] == [[m["verdict"], m["model"]] for m in traced]
    assert [m["verdict"] for m in traced] == ["converts", "fails"]
    assert browser.run(SHOWN, ".toc li") == headings


@pytest.mark.tensorflow
def test_the_op_rows_show_support_per_target(browser, traced):
    detector, solver = traced
    rows = [row.split("\t") for row in browser.run(SHOWN, "tr.op")]
    assert rows == [[op, "builtin", "converts", "converts", "unknown", "converts"] for op in detector["ops"]] + [
        ["FlexMatrixInverse", "Select TF op", "fails", "converts", "fails", "fails"]]
    assert solver["way_out"]["ops"] == ["FlexMatrixInverse"]


@pytest.mark.tensorflow
def test_the_parity_chart_draws_one_bar_per_output_and_the_tolerance(browser, traced):
    outputs = traced[0]["parity"]["outputs"]
    assert browser.run(SHOWN, "svg.chart.parity text.label") == [o["output"] for o in outputs]
    assert len(outputs) == 2 and all(w >= 1 for w in browser.run(BARS))
    assert browser.run(SHOWN, "svg.chart.parity text.tolerance") == ["tolerance 0.001"]


def test_untrusted_names_are_shown_as_text(browser, tmp_path):
    hostile = "<img src=x onerror=document.title='owned'><script>document.title='owned'</script>"
    traced = [{"path": hostile, "model": hostile, "line": 1, "target": "builtins", "route": "from_keras_model",
               "verdict": "converts", "ops": [hostile],
               "parity": {"ok": True, "max_rel": 0.0, "tolerance": 1e-3, "inputs": hostile,
                          "outputs": [{"output": hostile, "max_abs": 0.0, "max_rel": 0.0}]}}]
    path = tmp_path / "report.html"
    report_page.write(str(path), report_page.render(traced, knowledge.load(), 0.05))
    browser.get(path.as_uri())
    assert browser.run("return document.title") == "tflint --trace report"
    assert browser.run("return document.querySelectorAll('img, script').length") == 0
    assert hostile in browser.run(SHOWN, "section.model h2")[0]
    assert browser.run(SHOWN, "tr.op")[0].startswith(hostile)

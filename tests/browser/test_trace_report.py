"""The `--trace --report` page in headless Chromium: what a person sees of a real trace (the
models, their op rows, one parity bar per output on screen), and untrusted names shown as text."""

from __future__ import annotations

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
def traced_page(browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    assert trace_with_report(folder).returncode == 1  # the case's TFL102
    browser.get((folder / "report.html").as_uri())
    return browser


@pytest.mark.tensorflow
def test_each_traced_model_is_shown_with_its_verdict(traced_page):
    headings = traced_page.run(SHOWN, "section.model h2")
    assert [h.split()[:2] for h in headings] == [["converts", "detector"], ["fails", "solver.__call__"]]
    assert traced_page.run(SHOWN, ".toc li") == headings


@pytest.mark.tensorflow
def test_the_op_rows_show_support_per_target(traced_page):
    rows = traced_page.run(SHOWN, "tr.op")
    assert [row.split("\t") for row in rows] == [
        ["FULLY_CONNECTED", "builtin", "converts", "converts", "unknown", "converts"],
        ["LOGISTIC", "builtin", "converts", "converts", "unknown", "converts"],
        ["FlexMatrixInverse", "Select TF op", "fails", "converts", "fails", "fails"]]


@pytest.mark.tensorflow
def test_the_parity_chart_draws_one_bar_per_output_and_the_tolerance(traced_page):
    assert traced_page.run(SHOWN, "svg.chart.parity text.label") == ["output_0", "output_1"]
    widths = traced_page.run(BARS)
    assert len(widths) == 2 and all(w >= 1 for w in widths)
    assert traced_page.run(SHOWN, "svg.chart.parity text.tolerance") == ["tolerance 0.001"]


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

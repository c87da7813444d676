"""The `--list-ops --format html` page in headless Chromium: search, filters, and the rows shown.

The expected rows are computed from the JSON format with the page's own rules (substring of
name, aliases and ops; a verdict on a target in the API or any of its variants)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.browser import Browser, require_browser

pytestmark = pytest.mark.browser

VISIBLE = ("return [...document.querySelectorAll('tbody.api:not([hidden]) tr.main td:first-child > code')]"
           ".map(e => e.textContent)")


def _tflint(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "tflint", "--list-ops", *args], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    chromium, driver = require_browser()
    path = tmp_path_factory.mktemp("ops") / "ops.html"
    path.write_text(_tflint("--format", "html"))
    browser = Browser(chromium, driver)
    try:
        browser.get(path.as_uri())
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="module")
def rows():
    return json.loads(_tflint("--format", "json"))["rows"]


def _expected(rows: list[dict], query: str, target: str = "", verdict: str = "") -> list[str]:
    def matches(row: dict) -> bool:
        verdicts = [row, *row.get("variants", ())]
        words = " ".join([row["name"], *row.get("aliases", ()), *(op for v in verdicts for op in v.get("ops", ()))])
        if query not in words.lower():
            return False
        if row["kind"] == "unprobed":
            return verdict in ("", "unknown")
        statuses = {v["status"][t] for v in verdicts for t in ([target] if target else v["status"])}
        return not verdict or verdict in statuses
    return [row["name"] for row in rows if matches(row)]


def _reset(page: Browser) -> None:
    page.run("for (const id of ['search', 'target', 'verdict', 'alternative']) document.getElementById(id).value = '';"
             "document.getElementById('search').dispatchEvent(new Event('input'))")


def test_all_rows_shown_at_first(page, rows):
    _reset(page)
    assert page.run("return document.getElementById('count').textContent") == f"{len(rows)} of {len(rows)} shown"


def test_typing_a_search_shows_the_matching_rows(page, rows):
    _reset(page)
    page.type("#search", "erfinv")
    shown = page.run(VISIBLE)
    assert "tf.math.erfinv" in shown and "keras.ops.erfinv" in shown
    assert shown == _expected(rows, "erfinv")


def test_a_verdict_on_a_target_narrows_the_search(page, rows):
    _reset(page)
    page.type("#search", "image")  # every API named `resize` has some variant that fails: too narrow
    page.click("#target option[value=builtins]")
    page.click("#verdict option[value=fails]")
    shown = page.run(VISIBLE)
    assert "tf.image.resize" in shown  # converts, but method="bicubic" fails
    assert shown == _expected(rows, "image", "builtins", "fails")
    assert len(shown) < len(_expected(rows, "image"))
    assert page.run("return document.getElementById('count').textContent") == f"{len(shown)} of {len(rows)} shown"


def test_the_alternative_filter_and_what_a_row_shows(page, rows):
    _reset(page)
    page.type("#search", "tf.math.sinh")
    page.click("#alternative option[value=exact]")
    assert page.run(VISIBLE) == ["tf.math.sinh"]
    (sinh,) = [r for r in rows if r["name"] == "tf.math.sinh"]
    shown = page.run("return document.querySelector('tbody.api:not([hidden]) tr.main').innerText")
    assert sinh["alternative"]["use"] in shown and "fails" in shown
    evidence = page.run("return document.querySelector('tbody.api:not([hidden]) dd:nth-of-type(2)').textContent")
    assert evidence == sinh["evidence"]["builtins"]  # the converter's words, quotes included, as text


def test_no_match_says_so(page):
    _reset(page)
    page.type("#search", "no_such_api_anywhere")
    assert page.run(VISIBLE) == []
    assert page.run("return document.getElementById('empty').hidden") is False

"""`tflint --list-ops --format json|markdown|html` and the verified alternatives: the table's
content, its escaping, and the alternatives in messages and `--explain` (no browser: see
tests/browser/ for the page's search and filters)."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from tflint import knowledge
from tflint.frontends import cli
from tflint.knowledge import alternatives, ops_page, table

HOSTILE = "<script>alert('x')</script> & \"quoted\" | piped"


@pytest.fixture(scope="module")
def known():
    return knowledge.load()


@pytest.fixture(scope="module")
def verified(known):
    return alternatives.load(known.source)


def listing(capsys, *args) -> tuple[int, str]:
    code = cli.main(["--list-ops", *args])
    return code, capsys.readouterr().out


def test_json_rows_carry_variants_evidence_and_alternatives(capsys):
    code, out = listing(capsys, "tf.image.resize", "--format", "json")
    doc = json.loads(out)
    (row,) = [r for r in doc["rows"] if r["name"] == "tf.image.resize"]
    assert code == 0 and doc["tensorflow"] == knowledge.load().tf_version
    assert row["status"]["builtins"] == "converts" and "ResizeBilinear" in row["ops"]
    (bicubic,) = [v for v in row["variants"] if v["condition"] == "method='bicubic'"]
    assert bicubic["kind"] == "argument" and bicubic["status"]["builtins"] == "fails"
    assert "ResizeBicubic" in bicubic["evidence"]["builtins"]
    assert bicubic["alternative"]["verdict"] == "approximation" and "bilinear" in bicubic["alternative"]["use"]


def test_every_api_failing_under_builtins_has_an_alternative_verdict(known):
    doc = table.document(known)
    failing = [r for r in doc["rows"] if r["kind"] == "api" and r["status"]["builtins"] == "fails"]
    assert failing and all(r["alternative"]["verdict"] in ("exact", "approximation", "none") for r in failing)
    assert doc["alternatives"]["failing"] == len(failing) + sum(
        v["status"]["builtins"] == "fails" for r in doc["rows"] if r["kind"] == "api" and r not in failing
        for v in r["variants"] if v["kind"] == "argument")


def test_alternatives_file_names_only_failing_apis_and_variants(known, verified):
    resolved = {name for name, _, _ in alternatives.verified(known)}
    kept = {name for name, a in verified.items() if a.verdict != alternatives.NONE}
    assert kept == resolved  # every entry names an API (or argument value) the knowledge has
    assert all(verdict.on("builtins") == knowledge.FAILS for _, _, verdict in alternatives.verified(known))


def test_markdown_has_a_line_per_api_and_variant(capsys):
    code, out = listing(capsys, "tf.image.resize", "--format", "markdown")
    doc = table.document(knowledge.load(), "tf.image.resize")
    body = [line for line in out.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert code == 0
    assert len(body) == sum(1 + len(r.get("variants", ())) for r in doc["rows"])
    assert any(line.startswith("| ↳ `method='bicubic'` | fails | converts |") for line in body)


def _hostile_doc() -> dict:
    verdict = {"status": {c: "fails" for c in table.COLUMNS}, "ops": [HOSTILE], "evidence": {"builtins": HOSTILE},
               "probe": HOSTILE, "alternative": {"verdict": "exact", "use": HOSTILE, "inputs": HOSTILE,
                                                 "max_error": 0.0, "ops": [HOSTILE], "note": HOSTILE}}
    row = {"kind": "api", "name": HOSTILE, "aliases": [HOSTILE], **verdict,
           "variants": [{"kind": "argument", "condition": HOSTILE, **verdict}]}
    return {"tensorflow": "2.21.0", "generated": "today", "alternatives": {"failing": 1, "verified": 1, "exact": 1},
            "rows": [row, {"kind": "unprobed", "name": HOSTILE, "reason": HOSTILE}]}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags, self.text, self.attributes = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_html_escapes_names_and_converter_messages():
    page = ops_page.render(_hostile_doc())
    parsed = _Collector()
    parsed.feed(page)
    assert parsed.tags.count("script") == 1  # the page's own, none from the data
    assert sum(HOSTILE in text for text in parsed.text) >= 8  # read back as text: name, alias, evidence, ...
    assert ("data-search", " ".join([HOSTILE] * 4).lower()) in parsed.attributes


def test_markdown_escapes_pipes_in_cells():
    out = table.render_markdown(_hostile_doc())
    line = next(line for line in out.splitlines() if line.startswith("| `<script>"))
    assert "\\| piped" in line and line.count(" | ") == len(table.COLUMNS) + 3  # the cells' own pipes escaped


def test_html_page_is_self_contained(capsys):
    code, out = listing(capsys, "--format", "html")
    parsed = _Collector()
    parsed.feed(out)
    assert code == 0 and out.startswith("<!doctype html>")
    assert not {"link", "img", "iframe"} & set(parsed.tags)
    assert not [value for name, value in parsed.attributes if name in ("src", "href")]


@pytest.mark.parametrize("args,message", [
    (["--list-ops", "--format", "sarif"], "--list-ops: --format sarif is not one of text, json, markdown, html"),
    (["--format", "html", "."], "--format html: only with --list-ops"),
])
def test_table_formats_belong_to_list_ops(capsys, args, message):
    assert cli.main(args) == 2
    assert capsys.readouterr().err == f"tflint: error: {message}\n"


def test_no_match_exits_1_in_every_format(capsys):
    for fmt in ("json", "markdown", "html"):
        assert listing(capsys, "no_such_api_anywhere", "--format", fmt)[0] == 1


def test_messages_and_explain_give_the_verified_alternative(tmp_path, capsys, verified):
    model = tmp_path / "model.py"
    model.write_text("import tensorflow as tf\ny = tf.math.sinh(x)\nz = tf.strings.length(s)\n")
    cli.main(["--no-cache", str(model)])
    sinh, length = capsys.readouterr().out.splitlines()
    assert f"Builtin alternative: `{verified['tf.math.sinh'].use}`, verified exact" in sinh
    assert "alternative" not in length  # verdict "none": nothing to offer
    assert cli.main(["--explain", "TFL102"]) == 0
    explained = capsys.readouterr().out
    assert "## Verified alternatives" in explained and "- `tf.math.sinh`: `" in explained


def test_a_helper_is_pointed_to_not_squeezed_into_the_message(verified):
    erfinv = verified["tf.math.erfinv"]
    assert len(erfinv.use.splitlines()) > 1
    assert "tflint --list-ops tf.math.erfinv --format markdown" in erfinv.summary("tf.math.erfinv")

"""`--trace --report PATH` without TensorFlow: the page built from synthetic `trace.models` entries
(what it shows, escaping, empty and failed traces, the charts, op support), how it is written, and
the command line around it (usage errors, a write that fails after the findings)."""

import errno
import os

import pytest

from tflint import knowledge
from tflint.frontends.cli import main
from tflint.trace import op_support, report_page
from tests.support.html_page import Page, chart

HOSTILE = "<script>alert(\"x\")</script> & 'q'"
PARITY = {"ok": False, "max_rel": 0.02, "tolerance": 1e-3, "inputs": "seeded inputs", "in_domain": True,
          "outputs": [{"output": "score", "max_abs": 1e-7, "max_rel": 3e-7},
                      {"output": "box", "max_abs": 0.2, "max_rel": 0.02}]}
MEMORY = {"model_bytes": 4552, "weight_bytes": 3000, "activation_bytes": 188}


def _converted(**changes) -> dict:
    entry = {"path": "m.py", "model": "detector", "line": 8, "target": "builtins", "route": "from_keras_model",
             "verdict": "converts", "ops": ["FULLY_CONNECTED", "LOGISTIC"], "parity": PARITY, "seconds": 0.6,
             "memory": MEMORY}
    return {**entry, **changes}


def _failing(**changes) -> dict:
    entry = {"path": "m.py", "model": "solver.__call__", "line": 18, "target": "builtins",
             "route": "from_concrete_functions", "verdict": "fails", "seconds": 0.4,
             "routes_tried": [{"route": "from_keras_model", "problem": "ValueError: dict inputs"}],
             "failures": [{"op": "MatrixInverse", "code": "ERROR_NEEDS_FLEX_OPS", "path": "m.py", "line": 15,
                           "message": "'tf.MatrixInverse' op is neither a custom op nor a flex op"}],
             "way_out": {"change": "Select TF ops", "fix": "converts with Select TF ops", "converts": True,
                         "tried": ["fixed shapes", "Select TF ops"], "ops": ["FlexMatrixInverse"]}}
    return {**entry, **changes}


def _render(traced, tolerance=0.05) -> tuple[str, Page]:
    html = report_page.render(traced, knowledge.load(), tolerance)
    return html, Page(html)


def test_a_converted_model_shows_its_facts_ops_and_one_bar_per_output():
    html, page = _render([_converted()])
    [section] = page.find("section", "model")
    assert section["data-verdict"] == "converts" and "detector" in section["text"] and "m.py:8" in section["text"]
    assert "4.4 KB (4552 bytes)" in section["text"] and "from_keras_model: converts" in section["text"]
    ops = [row["text"] for row in page.find("tr", "op")]
    assert ops == ["FULLY_CONNECTEDbuiltinconvertsconvertsunknownconverts", "LOGISTICbuiltinconvertsconvertsunknownconverts"]
    bars = chart(html, "parity").find("rect", "bar")
    assert [b["class"] for b in bars] == ["bar ok", "bar over"]  # 3e-7 within 1e-3, 0.02 over it
    assert [label["text"] for label in page.find("text", "label")] == ["score", "box"]
    assert len(page.find("line", "tolerance")) == 1 and "tolerance 0.001" in "".join(page.text)


def test_untrusted_text_is_escaped_everywhere():
    parity = {**PARITY, "outputs": [{"output": HOSTILE, "max_abs": 0.0, "max_rel": 0.0}], "inputs": HOSTILE}
    traced = [_converted(model=HOSTILE, path=HOSTILE + ".py", ops=[HOSTILE], parity=parity),
              _failing(routes_tried=[{"route": HOSTILE, "problem": HOSTILE}],
                       failures=[{"op": HOSTILE, "code": "UNKNOWN", "path": HOSTILE, "line": 1, "message": HOSTILE}],
                       way_out={"change": None, "fix": HOSTILE, "converts": False, "tried": [HOSTILE]}),
              {"path": HOSTILE, "model": None, "verdict": "no verdict", "reason": HOSTILE}]
    html, page = _render(traced)
    assert "<script" not in html and not page.find("script")  # the page has no script of its own either
    shown = "".join(page.text)
    assert shown.count(HOSTILE) == 17  # each of the 17 places shows it as the text it is
    [label] = page.find("text", "label")
    assert label["text"] == HOSTILE[:23] + "…" and page.find("rect", "bar")[0]["text"] == HOSTILE + ": 0"


def test_nothing_traced_says_so():
    _, page = _render([])
    assert not page.find("section") and "Nothing was traced" in "".join(page.text)
    assert "0 models in 0 files" in "".join(page.text)


def test_traces_without_a_verdict_say_why_and_draw_nochart():
    traced = [{"path": "a.py", "model": None, "verdict": "no verdict", "reason": "KeyError: 'x'"},
              {"path": "b.py", "model": None, "verdict": "no model", "reason": "no module-level keras.Model"},
              {"path": "c.py", "model": "m", "line": 3, "target": "builtins", "route": "from_keras_model",
               "verdict": "no verdict", "reason": "TypeError: bad call"},
              _converted(parity={"skipped": "the interpreter cannot run Flex ops"})]
    _, page = _render(traced)
    sections = page.find("section", "model")
    assert [s["data-verdict"] for s in sections] == ["no verdict", "no model", "no verdict", "converts"]
    assert "KeyError: 'x'" in sections[0]["text"] and "no module-level keras.Model" in sections[1]["text"]
    assert "from_keras_model: no verdict" in sections[2]["text"]
    assert "not checked: the interpreter cannot run Flex ops" in sections[3]["text"]
    assert not page.find("svg")


def test_a_failing_model_shows_the_routes_tried_and_the_way_out_with_its_ops():
    _, page = _render([_failing()])
    [routes] = page.find("ol", "routes")
    assert routes["text"] == "from_keras_model: could not run ValueError: dict inputsfrom_concrete_functions: fails"
    assert page.find("ul", "failures")[0]["text"] == (
        "MatrixInverse [ERROR_NEEDS_FLEX_OPS] at m.py:15: 'tf.MatrixInverse' op is neither a custom op nor a flex op")
    assert page.find("ol", "way-out")[0]["text"] == "fixed shapes: failsSelect TF ops: converts"
    [row] = page.find("tr", "op")
    # converted for select: its Flex op converts there; the op knowledge says builtins fails, and why
    assert row["text"] == "FlexMatrixInverseSelect TF opfailsconvertsfailsfails"
    cells = [e for e in page.find("td", "v") if e.get("title")]
    assert "MatrixInverse" in cells[0]["title"]


def test_the_chart_scale_is_logarithmic_with_zero_left_and_infinity_right():
    svg = report_page.bar_chart([("zero", 0.0), ("tolerance", 1e-3), ("inf", float("inf"))], 1e-3, "parity")
    page = Page(svg)
    left, tolerance, right = (float(b["width"]) for b in page.find("rect", "bar"))
    line = page.find("line", "tolerance")[0]
    assert left == 1.0 and right == 320.0  # the plot's whole width
    assert float(line["x1"]) == pytest.approx(160 + tolerance) and tolerance == pytest.approx(320 * 5 / 9, abs=0.1)
    assert [b["class"] for b in page.find("rect", "bar")] == ["bar ok", "bar ok", "bar over"]
    assert [t["text"] for t in page.find("text", "value")] == ["0", "0.001", "inf"]


def test_quantization_figures_are_shown_against_their_tolerance():
    quantization = {"inputs": "representative_dataset(): 80 calibrate, 20 held out", "error": 0.11,
                    "float_memory": {**MEMORY, "model_bytes": 16000}, "problems": ["too few samples"],
                    "outputs": [{"output": 0, "max_abs": 0.22, "range": 2.0, "error": 0.11}],
                    "layers": [{"layer": "softplus8", "line": 11, "ops": 4, "error_in_float": 0.007}]}
    html, page = _render([_converted(target="int8", quantization=quantization)], tolerance=0.05)
    [bar] = chart(html, "quantization").find("rect", "bar")
    assert bar["class"] == "bar over" and bar["text"] == "output 0: 0.11"
    text = "".join(page.text)
    assert "int8 error 11.00% of the output range (tolerance 0.05)" in text and "15.6 KB" in text
    assert "softplus8 (line 11) kept in float: 0.70%" in text and "too few samples" in text
    assert "FULLY_CONNECTEDbuiltinconvertsconvertsconvertsconverts" in [r["text"] for r in page.find("tr", "op")]
    _, skipped = _render([_converted(quantization={"skipped": "no dataset"})])
    assert "not measured: no dataset" in "".join(skipped.text) and not skipped.find("svg", "quantization")


def test_op_support_per_kind_of_op():
    known = knowledge.load()
    builtin = op_support.op_support("CONV_2D", "gpu", known)
    assert builtin.kind == op_support.BUILTIN and builtin.status == {
        "builtins": "converts", "select": "converts", "int8": "unknown", "gpu": "converts"}
    flex = op_support.op_support("FlexMatrixInverse", "select", known)
    assert flex.kind == op_support.SELECT and flex.status["select"] == "converts"
    assert flex.status["builtins"] == known.entry("tf.raw_ops.MatrixInverse").base.on("builtins") == "fails"
    unknown = op_support.op_support("FlexNoSuchOp", "select", known)
    assert unknown.status == {"builtins": "unknown", "select": "converts", "int8": "unknown", "gpu": "unknown"}
    assert unknown.evidence["builtins"] == "no op knowledge of tf.raw_ops.NoSuchOp"
    custom = op_support.op_support("TFLite_Detection_PostProcess", "builtins", known)
    assert custom.kind == op_support.CUSTOM and set(custom.status.values()) == {"unknown"}


def test_the_report_is_written_whole_with_the_mode_open_would_give(tmp_path):
    path = tmp_path / "report.html"
    path.write_text("old")
    report_page.write(str(path), "<p>new</p>")
    umask = os.umask(0o022)
    os.umask(umask)
    assert path.read_text() == "<p>new</p>" and os.stat(path).st_mode & 0o777 == 0o666 & ~umask
    assert os.listdir(tmp_path) == ["report.html"]  # no temporary file left


def test_a_failed_write_leaves_the_old_report(tmp_path, monkeypatch):
    path = tmp_path / "report.html"
    path.write_text("old")

    def full(*_):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError):
        report_page.write(str(path), "<p>new</p>")
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["report.html"]


def test_unwritable_paths_are_named(tmp_path):
    assert report_page.unwritable(str(tmp_path / "r.html")) is None
    assert report_page.unwritable(str(tmp_path)) == "is a folder"
    assert report_page.unwritable(str(tmp_path / "no" / "r.html")) == f"no folder {tmp_path / 'no'}"
    (tmp_path / "file").write_text("")
    assert report_page.unwritable(str(tmp_path / "file" / "r.html")) == f"no folder {tmp_path / 'file'}"


# The command line: usage errors come before anything is linted or traced.

@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "model.py").write_text("import tensorflow as tf\n\ny = tf.nn.fractional_max_pool(x, r)\n")
    return tmp_path


@pytest.mark.parametrize("argv, message", [
    (["--report", "r.html"], "tflint: error: --report: only with --trace (and not with --diff, which traces nothing)"),
    (["--trace", "--diff", "--report", "r.html"], "tflint: error: --report: only with --trace"),
    (["--trace", "--report", "."], "tflint: error: --report .: is a folder"),
    (["--trace", "--report", "-"], "tflint: error: --report -: a file path is needed: stdout carries the findings"),
    (["--trace", "--report", "missing/r.html"], "tflint: error: --report missing/r.html: no folder missing"),
])
def test_report_usage_errors_are_one_line(project, capsys, argv, message):
    assert main([*argv, "model.py"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(message) and err.count("\n") == 1
    assert not (project / "r.html").exists()


@pytest.fixture
def fake_trace(monkeypatch):
    """--trace without TensorFlow: no worker, and one converted model traced."""
    from tflint import trace

    monkeypatch.setattr(trace, "Starting", lambda options: object())
    monkeypatch.setattr(trace, "run", lambda files, diagnostics, *_: (diagnostics, [_converted(path="model.py")]))


def test_the_report_is_written_after_the_findings(project, capsys, fake_trace):
    assert main(["--trace", "--report", "r.html", "model.py"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("model.py:3:5: TFL101 ") and err == "tflint: wrote the trace report to r.html\n"
    assert len(Page((project / "r.html").read_text()).find("section", "model")) == 1
    assert main(["--trace", "--report", "r.html", "-q", "model.py"]) == 1 and capsys.readouterr().err == ""


def test_a_report_that_cannot_be_written_keeps_the_findings(project, capsys, fake_trace, monkeypatch):
    def full(path, html):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(report_page, "write", full)
    assert main(["--trace", "--report", "r.html", "model.py"]) == 2
    out, err = capsys.readouterr()
    assert out.startswith("model.py:3:5: TFL101 ")
    assert err == "tflint: error: --report r.html: No space left on device\n"

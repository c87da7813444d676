"""--trace without TensorFlow: option parsing, how a worker's death is named, how results become
diagnostics and confirm or refute static findings (synthetic worker results)."""

import os
import signal

import pytest

from tflint.frontends import cli
from tflint.config import Settings
from tflint.report.diagnostics import Diagnostic, Severity, Span
from tflint.trace import _Progress
from tflint.trace.causes import innermost_cause
from tflint.trace.options import InputShape, parse_input_shape
from tflint.trace.report import diagnostics_for, normalized_op, refute
from tflint.trace.summary import summary_line, traced_models
from tflint.trace.supervisor import describe_death


@pytest.mark.parametrize("text, expected", [
    ("1,224,224,3", InputShape((1, 224, 224, 3))),
    ("?,128:int32", InputShape((None, 128), "int32")),
    (" None, -1 ,8 ", InputShape((None, None, 8))),
])
def test_input_shape_syntax(text, expected):
    assert parse_input_shape(text) == expected


@pytest.mark.parametrize("text, reason", [("1,0,3", "'0'"), ("1,x", "'x'"), ("1,2:complex64", "dtype")])
def test_bad_input_shape_is_a_usage_error(text, reason, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.build_parser().parse_args(["--input-shape", text])
    assert exit_info.value.code == 2
    assert reason in capsys.readouterr().err


def test_trace_options_parse():
    args = cli.build_parser().parse_args(["--trace", "--trace-timeout", "5", "--entry", "a", "--entry", "b",
                                          "--input-shape", "1,3", "--input-shape", "1,4:int32"])
    assert (args.trace, args.trace_timeout, args.entry) == (True, 5.0, ["a", "b"])
    assert args.input_shape == [InputShape((1, 3)), InputShape((1, 4), "int32")]


def test_death_by_signal_names_signal_and_user_line():
    tail = ('Fatal Python error: Segmentation fault\n\nCurrent thread 0x1 (most recent call first):\n'
            '  File "/usr/lib/python3.11/ctypes/__init__.py", line 519 in string_at\n'
            '  File "/src/model.py", line 6 in <module>\n')
    problem = describe_death(-signal.SIGSEGV, tail, "/src/model.py")
    assert problem == {"kind": "crash", "line": 6,
                       "message": "the interpreter crashed (SIGSEGV: Fatal Python error: Segmentation fault)"}


def test_death_by_allocation_failure_is_memory():
    tail = "terminate called after throwing an instance of 'std::bad_alloc'\nFatal Python error: Aborted\n"
    assert describe_death(-signal.SIGABRT, tail, "/src/model.py")["kind"] == "memory"


def test_death_by_exit_status():
    assert describe_death(3, "", None) == {"kind": "exit", "line": None,
                                           "message": "the process exited with status 3 while tracing"}


def test_op_names_compare_across_tf_and_tflite_spellings():
    assert normalized_op("tf.MatrixInverse") == normalized_op("FlexMatrixInverse") == normalized_op("MatrixInverse")
    assert normalized_op("RESIZE_BILINEAR") == normalized_op("ResizeBilinear")


def _static(line, code="TFL102", severity=Severity.ERROR, op="MatrixInverse"):
    return Diagnostic("m.py", Span(line, 5, line, 20), code, "x", severity, "static", op=op)


def _result(target="builtins", **model):
    base = {"name": "model", "line": 20, "kind": "keras", "route": "from_keras_model", "converted": False}
    return {"path": "m.py", "target": target, "models": [{**base, **model}]}


def _failure(op, line, code="ERROR_NEEDS_FLEX_OPS", path="m.py", chain=()):
    return {"op": op, "line": line, "code": code, "message": f"'tf.{op}' op is neither a custom op nor a flex op",
            "path": path if line else None, "chain": list(chain) or ([[path, line]] if line else [])}


def test_failure_predicted_by_op_confirms_and_adds_nothing():
    static = [_static(12), _static(30, "TFL101", op="FractionalMaxPool")]
    added = diagnostics_for(_result(failures=[_failure("MatrixInverse", 12)]), static, Settings())
    assert added == []
    # The converter lists every op it cannot convert: FractionalMaxPool was not among them.
    assert [d.confirmed for d in static] == [True, False]


def test_unpredicted_failure_becomes_tfl901_at_its_line_with_converter_words_and_route():
    tried = [{"route": "from_keras_model", "problem": "TypeError: 'NoneType' object is not callable"}]
    result = _result(failures=[_failure("Erf", 9)], routes_tried=tried, route="from_keras_model (list-input wrapper)")
    [d] = diagnostics_for(result, [], Settings())
    assert (d.code, d.span.line, d.severity, d.op) == ("TFL901", 9, Severity.ERROR, "Erf")
    assert "'tf.Erf' op is neither a custom op nor a flex op" in d.message
    assert ("from_keras_model could not run: TypeError: 'NoneType' object is not callable; judged by "
            "from_keras_model (list-input wrapper)") in d.message


def test_failure_in_another_file_is_reported_there_with_the_chain_back_to_the_model():
    chain = [["m.py", 22], ["lib/attention.py", 40], ["lib/attention.py", 57]]
    [d] = diagnostics_for(_result(failures=[_failure("Erf", 57, path="lib/attention.py", chain=chain)]), [],
                          Settings())
    assert (d.path, d.span.line) == ("lib/attention.py", 57)
    assert [(r.path, r.span.line) for r in d.related] == [("m.py", 20), ("m.py", 22), ("lib/attention.py", 40)]


def test_static_error_in_a_file_the_model_was_built_from_is_judged_on_its_lines_only():
    on_graph = Diagnostic("lib.py", Span(7, 5, 7, 20), "TFL102", "x", Severity.ERROR, "static", op="MatrixInverse")
    elsewhere = Diagnostic("lib.py", Span(30, 5, 30, 20), "TFL102", "x", Severity.ERROR, "static", op="MatrixInverse")
    result = _result(converted=True, ops=["FULLY_CONNECTED"], parity={"ok": True})
    result["models"][0]["lines"] = [[os.path.realpath("lib.py"), 7]]
    diagnostics_for(result, [on_graph, elsewhere], Settings())
    refute([on_graph, elsewhere])
    assert [(d.confirmed, d.severity) for d in (on_graph, elsewhere)] == [(False, Severity.INFO),
                                                                          (None, Severity.ERROR)]


def test_failure_without_user_frame_is_reported_at_model_definition():
    [d] = diagnostics_for(_result(failures=[_failure("Erf", None)]), [], Settings())
    assert (d.path, d.span.line) == ("m.py", 20) and "no frame" in d.message


def test_masking_failure_leaves_other_static_errors_unjudged():
    static = [_static(12)]
    diagnostics_for(_result(failures=[_failure("TensorListReserve", 5, "UNKNOWN")]), static, Settings())
    assert static[0].confirmed is None


def test_converted_model_refutes_errors_and_judges_warnings_by_ops():
    static = [_static(12), _static(14, "TFL102", Severity.WARNING), _static(16, "TFL201", Severity.WARNING, "Shape")]
    parity = {"max_abs": 0.0, "max_rel": 0.0, "tolerance": 1e-3, "ok": True}
    result = _result("select", converted=True, ops=["FULLY_CONNECTED", "FlexMatrixInverse"], parity=parity)
    assert diagnostics_for(result, static, Settings()) == []
    assert [d.confirmed for d in static] == [False, True, False]


def test_unpredicted_flex_ops_under_select_are_tfl905():
    result = _result("select", converted=True, ops=["FlexErf", "FlexMatrixInverse"], parity={})
    [d] = diagnostics_for(result, [_static(12, severity=Severity.WARNING)], Settings())
    assert (d.code, d.severity) == ("TFL905", Severity.WARNING) and "FlexErf" in d.message
    assert "FlexMatrixInverse" not in d.message


def test_parity_beyond_tolerance_is_tfl902_with_figures():
    parity = {"max_abs": 0.988, "max_rel": 1.0, "tolerance": 1e-3, "ok": False, "interpreter": "ai_edge_litert",
              "inputs": "seeded random inputs"}
    [d] = diagnostics_for(_result("builtins", converted=True, ops=[], parity=parity), [], Settings())
    assert d.code == "TFL902" and "0.988" in d.message and "tolerance 0.001" in d.message


def test_int8_parity_is_no_tfl902_its_cost_is_measured_as_tfl907():
    parity = {"max_abs": 0.988, "max_rel": 1.0, "tolerance": 0.1, "ok": False, "interpreter": "ai_edge_litert",
              "inputs": "seeded random inputs"}
    assert diagnostics_for(_result("int8", converted=True, ops=[], parity=parity), [], Settings()) == []


def test_problems_are_tfl903_and_no_model_is_tfl904_info():
    crash = {"kind": "crash", "message": "the interpreter crashed (SIGSEGV)", "line": 6}
    [d] = diagnostics_for({"path": "m.py", "target": "builtins", "problem": crash}, [], Settings())
    assert (d.code, d.span.line) == ("TFL903", 6) and "SIGSEGV" in d.message
    [none] = diagnostics_for({"path": "m.py", "target": "builtins", "models": [], "no_model": "none"}, [], Settings())
    assert (none.code, none.severity) == ("TFL904", Severity.INFO)


def test_trace_findings_respect_ignore():
    assert diagnostics_for(_result(failures=[_failure("Erf", 9)]), [], Settings(ignore=("TFL901",))) == []


def test_progress_is_one_line_per_model(capsys):
    progress = _Progress()
    progress.event({"event": "progress", "path": "m.py", "model": "model"})
    progress.event({"event": "done", "path": "m.py", "model": "model", "seconds": 1.0, "converted": False})
    err = capsys.readouterr().err
    assert err.startswith("tflint: m.py: converting model... fails in ") and err.count("\n") == 1


def test_failure_naming_no_unsupported_op_confirms_a_static_error_in_the_same_function(tmp_path):
    source = ("import tensorflow as tf\n\n\ndef decode(x):\n"
              "    steps = tf.TensorArray(tf.float32, size=0, dynamic_size=True)\n"
              "    for i in tf.range(3):\n        steps = steps.write(i, x)\n    return steps.stack()\n\n\n"
              "def other(x):\n    return tf.linalg.inv(x)\n")
    path = tmp_path / "m.py"
    path.write_text(source)
    static = [Diagnostic(str(path), Span(5, 13, 5, 66), "TFL402", "x", Severity.ERROR, "static"),
              Diagnostic(str(path), Span(12, 12, 12, 28), "TFL102", "x", Severity.ERROR, "static", op="MatrixInverse")]
    result = {**_result(failures=[_failure("Identity", 6, "UNKNOWN", path=str(path))]), "path": str(path)}
    assert diagnostics_for(result, static, Settings()) == []
    # The TensorArray's function is where the converter stopped; the failure may mask the other.
    assert [d.confirmed for d in static] == [True, None]


def test_innermost_cause_is_the_first_exception_in_one_line():
    try:
        try:
            raise KeyError("conv")
        except KeyError as inner:
            raise RuntimeError("wrapped") from inner
    except RuntimeError as e:
        assert innermost_cause(e) == "KeyError: 'conv'"


def test_innermost_cause_of_a_tensorflow_user_code_error_is_its_raised_line():
    traced = ValueError("in user code:\n\n    File \"m.py\", line 5, in call  *\n        x[:, None]\n\n"
                        "    TypeError: 'NoneType' object is not callable\n\n"
                        "Arguments received by Layer.call():\n  • x=tf.Tensor(shape=(None, 4))")
    assert innermost_cause(traced) == "TypeError: 'NoneType' object is not callable"


def test_summary_line_counts_models_files_and_routes():
    results = [{"path": "a.py", "target": "builtins", "models": [
                   {"name": "m", "line": 3, "route": "from_keras_model", "converted": True, "parity": {"ok": True}},
                   {"name": "f", "line": 9, "route": "from_concrete_functions", "converted": False,
                    "way_out": {"change": "Select TF ops", "fix": "converts with Select TF ops", "converts": True,
                                "tried": ["Select TF ops"]}}]},
               {"path": "b.py", "target": "builtins", "models": [], "no_model": "none"},
               {"path": "c.py", "target": "builtins", "problem": {"kind": "import", "message": "KeyError: 'x'"}}]
    traced = traced_models(results)
    assert [(t["model"], t["verdict"]) for t in traced] == [("m", "converts"), ("f", "fails"), (None, "no model"),
                                                            (None, "no verdict")]
    assert traced[1]["way_out"]["fix"] == "converts with Select TF ops"
    assert summary_line(traced) == ("tflint --trace: 3 models in 3 files: 1 convert, 1 fail, 1 without a verdict "
                                    "(routes: from_concrete_functions, from_keras_model)")

"""--trace measurements without TensorFlow: TFL907-909 from synthetic worker results, against the
tolerance and budgets of the settings; the JSON and text figures; sizes and tolerances as options."""

import pytest

from tflint.config import ConfigError, Settings, _validate
from tflint.frontends import cli
from tflint.report.sizes import format_size, parse_size
from tflint.report.formats import render
from tflint.trace.measures import figure_line
from tflint.trace.report import diagnostics_for
from tflint.trace.summary import traced_models

MEMORY = {"model_bytes": 4552, "weight_bytes": 450, "activation_bytes": 188}


def _quantization(error, layers=(), problems=()):
    return {"inputs": "representative_dataset(): the first 80 of 100 samples calibrate, the other 20 are held out",
            "own_data": True, "dataset": "representative_dataset", "calibration_samples": 80, "held_out_samples": 20,
            "problems": list(problems), "float_memory": {**MEMORY, "model_bytes": 4604},
            "outputs": [{"output": 0, "max_abs": error * 2, "range": 2.0, "error": error}], "error": error,
            "layers": list(layers), "seconds": 4.0}


def _result(quantization=None, memory=MEMORY):
    model = {"name": "model", "line": 13, "kind": "keras", "route": "from_keras_model", "converted": True,
             "ops": [], "parity": {}, "memory": memory}
    if quantization:
        model["quantization"] = quantization
    return {"path": "m.py", "target": "int8", "models": [model]}


LAYERS = [{"layer": "softplus8", "line": 11, "ops": 4, "error_in_float": 0.007},
          {"layer": "dense", "line": 9, "ops": 2, "error_in_float": 0.104}]


def test_quantization_error_over_tolerance_names_the_layer_that_costs_it():
    [d] = diagnostics_for(_result(_quantization(0.11, LAYERS)), [], Settings())
    assert (d.code, d.name, d.span.line) == ("TFL907", "quantization-error", 13)
    assert "11.0% of output 0's range" in d.message and "softplus8 (line 11) leaves 0.7%" in d.message
    assert "dense (line 9)" not in d.message  # keeping it in float barely helps
    assert [(r.span.line, r.message) for r in d.related] == [
        (11, "keeping layer softplus8 in float leaves 0.7% of the output range (from 11.0%)")]


def test_quantization_error_within_the_users_tolerance_is_no_finding():
    assert diagnostics_for(_result(_quantization(0.11, LAYERS)), [], Settings(quantization_tolerance=0.2)) == []
    assert diagnostics_for(_result(_quantization(0.03)), [], Settings()) == []


def test_no_layer_that_helps_is_said():
    [d] = diagnostics_for(_result(_quantization(0.11, LAYERS[1:])), [], Settings())
    assert "no single layer kept in float brings it below 90% of that (tried 1)" in d.message and not d.related


def test_weak_calibration_data_is_tfl908():
    problem = "too few samples: representative_dataset() yields 3, fewer than 10 ..."
    [d] = diagnostics_for(_result(_quantization(0.01, problems=[problem])), [], Settings())
    assert (d.code, d.name) == ("TFL908", "weak-calibration-data") and problem in d.message


def test_budgets_turn_an_excess_into_tfl909():
    assert diagnostics_for(_result(), [], Settings(max_model_size=4552, max_arena=188)) == []
    found = diagnostics_for(_result(), [], Settings(max_model_size=4 * 1024, max_arena=100))
    assert [d.code for d in found] == ["TFL909", "TFL909"]
    assert "4.4 KB (4552 bytes), over the budget of 4.0 KB (4096 bytes)" in found[0].message
    assert "activations need 188 B (188 bytes)" in found[1].message


def test_figures_for_json_and_text():
    [entry] = traced_models([_result(_quantization(0.11, LAYERS))])
    assert entry["verdict"] == "converts" and entry["route"] == "from_keras_model"
    assert entry["memory"] == MEMORY and entry["quantization"]["error"] == 0.11
    line = ("tflint --trace: m.py:13 model: 4.4 KB (weights 450 B, activations 188 B); "
            "float 4.5 KB; int8 error 11.00% of the output range on 20 held-out samples (of representative_dataset())")
    assert figure_line(entry) == line
    assert render("text", [], target="int8", files=1, traced=[entry]).splitlines() == [
        "tflint --trace: 1 model in 1 file: 1 convert, 0 fail, 0 without a verdict (routes: from_keras_model)", line]
    skipped = {**entry, "quantization": {"skipped": "ValueError: bad data"}}
    assert figure_line(skipped).endswith("; int8 error not measured: ValueError: bad data")


@pytest.mark.parametrize("text, size", [("300000", 300000), ("256K", 262144), ("1.5M", 1572864), ("2gb", 2 << 30)])
def test_sizes(text, size):
    assert parse_size(text) == size


def test_size_display():
    assert (format_size(188), format_size(4552), format_size(3 << 20)) == ("188 B", "4.4 KB", "3.0 MB")


@pytest.mark.parametrize("argv", [["--max-arena", "12Q"], ["--max-model-size", "0"],
                                  ["--quantization-tolerance", "2"], ["--quantization-tolerance", "x"]])
def test_bad_measure_options_are_usage_errors(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.build_parser().parse_args(argv)
    assert exit_info.value.code == 2 and len(capsys.readouterr().err.splitlines()) == 1


def test_measure_options_reach_the_settings():
    args = cli.build_parser().parse_args(["--quantization-tolerance", "0.1", "--max-model-size", "4M",
                                          "--max-arena", "512K"])
    settings = cli._settings(args)
    assert (settings.quantization_tolerance, settings.max_model_size, settings.max_arena) == (0.1, 4 << 20, 512 << 10)


def test_measure_config_keys():
    assert _validate({"quantization-tolerance": 0.02, "max-model-size": "1M", "max-arena": 65536}, "t.toml") == {
        "quantization_tolerance": 0.02, "max_model_size": 1 << 20, "max_arena": 65536}
    with pytest.raises(ConfigError, match="quantization-tolerance"):
        _validate({"quantization-tolerance": True}, "t.toml")

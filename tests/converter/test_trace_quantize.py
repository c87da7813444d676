"""--trace --target int8 with the real converter: the quantization error and the layer that costs
it, checked against an independent measurement; weak calibration data; memory figures.

The independent measurement converts each case's model as its user would (TFLiteConverter, the
first 80% of the file's representative dataset) and runs ai-edge-litert on the other 20%; the
layer kept in float goes through `QuantizationDebugger(denylisted_nodes=...)`, TensorFlow's own
selective quantization. Calibration is deterministic, so the figures agree to AGREE.
"""

import csv
import importlib.util
import io
from pathlib import Path

import numpy as np
import pytest

from tflint import trace
from tflint.config import Settings
from tflint.trace import TraceOptions
from tflint.trace.report import diagnostics_for

pytestmark = pytest.mark.tensorflow

CASES = Path(__file__).parent / "trace_cases"
NAMES = ("int8_softplus_by_hand", "int8_clean", "int8_few_samples", "int8_outlier_channel")
AGREE = 0.005  # absolute, in shares of the output range


@pytest.fixture(scope="module")
def traced():
    settings = Settings(target="int8")
    results = trace.trace([str(CASES / f"{n}.py") for n in NAMES], settings, TraceOptions())
    return {Path(r["path"]).stem: (r, diagnostics_for(r, [], settings)) for r in results}


def _load(name):
    spec = importlib.util.spec_from_file_location(f"independent_{name}", CASES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _independent(name, layer=None):
    """The int8 error of the case's model on its held-out samples, optionally with `layer` in float."""
    import tensorflow as tf
    from ai_edge_litert.interpreter import Interpreter

    module = _load(name)
    data = [s for s in module.representative_dataset()]
    cut = round(len(data) * 0.8)
    converter = tf.lite.TFLiteConverter.from_keras_model(module.model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.representative_dataset = lambda: iter(data[:cut])
    if layer is None:
        flatbuffer = converter.convert()
    else:
        debugger = tf.lite.experimental.QuantizationDebugger(converter=converter,
                                                             debug_dataset=lambda: iter(data[:cut]))
        debugger.run()
        table = io.StringIO()
        debugger.layer_statistics_dump(table)
        table.seek(0)
        nodes = [row["tensor_name"] for row in csv.DictReader(table) if f"/{layer}_" in row["tensor_name"]]
        debugger.options = tf.lite.experimental.QuantizationDebugOptions(denylisted_nodes=nodes)
        flatbuffer = debugger.get_nondebug_quantized_model()
    runner = Interpreter(model_content=flatbuffer).get_signature_runner()
    [key] = runner.get_input_details()
    got = np.concatenate([next(iter(runner(**{key: s[0]}).values())) for s in data[cut:]])
    want = np.concatenate([module.model(s[0]).numpy() for s in data[cut:]])
    return float(np.max(np.abs(got - want)) / (want.max() - want.min()))


def test_lossy_model_reports_the_error_and_the_layer_that_costs_it(traced):
    result, [d] = traced["int8_softplus_by_hand"]
    q = result["models"][0]["quantization"]
    assert d.code == "TFL907" and q["own_data"] and (q["calibration_samples"], q["held_out_samples"]) == (80, 20)
    assert q["error"] == pytest.approx(_independent("int8_softplus_by_hand"), abs=AGREE)
    assert q["error"] > 0.05
    best = q["layers"][0]
    assert (best["layer"], best["line"]) == ("softplus8", 11)
    assert best["error_in_float"] == pytest.approx(_independent("int8_softplus_by_hand", "softplus8"), abs=AGREE)
    assert best["error_in_float"] < q["error"] / 5
    assert f"softplus8 (line 11) leaves {best['error_in_float']:.1%}" in d.message
    assert [r.span.line for r in d.related] == [11]


def test_model_that_quantizes_well_has_figures_and_no_finding(traced):
    result, found = traced["int8_clean"]
    model = result["models"][0]
    assert found == []
    assert model["quantization"]["error"] == pytest.approx(_independent("int8_clean"), abs=AGREE)
    assert model["quantization"]["error"] < 0.05
    # Dense(8->16) and Dense(16->4) with zero biases (folded away): 192 int8 weights, 4x as many in float.
    assert model["memory"]["weight_bytes"] == 192 and model["quantization"]["float_memory"]["weight_bytes"] == 768
    assert model["memory"]["model_bytes"] > 192 and model["memory"]["activation_bytes"] > 0


def test_too_few_samples_missing_the_held_out_range_are_tfl908(traced):
    result, found = traced["int8_few_samples"]
    [weak] = [d for d in found if d.code == "TFL908"]
    assert "too few samples: representative_dataset() yields 6" in weak.message
    assert "held-out values of input 0 reach [5, 5], beyond the calibration range [-0.2, 0.3]" in weak.message


def test_int8_outlier_channel_is_a_quantization_cost_not_a_mismatch(traced):
    result, found = traced["int8_outlier_channel"]
    assert [d.code for d in found] == ["TFL907"]
    q = result["models"][0]["quantization"]
    assert not q["own_data"] and q["error"] > 0.5 and "random inputs" in found[0].message

"""Under `--target int8`: what full-integer quantization costs this model, measured (in the worker).

The file's own representative dataset (a module-level function whose name contains
"representative") is split: the first 80% calibrates, the rest is held out. The float model
(TensorFlow) and the int8 model (ai-edge-litert) run on the held-out samples; the error per
output is the largest absolute difference divided by the output's range over those samples.
Without a dataset, seeded random inputs calibrate and measure, and the result says so.

Which layer costs it: the model is calibrated once, then quantized again with one layer's ops
kept in float (the converter's selective quantization: `denylisted_nodes`, as
`tf.lite.experimental.QuantizationDebugger` does), and each such model is measured on the same
held-out samples. Models with at most ALL_LAYERS layers have every layer tried; larger ones
only the LAYERS_TRIED layers with the largest error per quantization step (rmse/scale) in the
debugger's layer statistics.
"""

from __future__ import annotations

import csv
import inspect
import io
import re
import time
from dataclasses import dataclass, field

import numpy as np
import tensorflow as tf
from tensorflow.lite.python import convert as tflite_convert

from tflint.trace.convert import converter, keras_inputs
from tflint.trace.find_models import Model, _takes_no_arguments
from tflint.trace.layer_lines import layer_lines
from tflint.trace.memory import footprint
from tflint.trace.samples import sample_inputs

DATASET_WORD = "representative"
MAX_SAMPLES = 500  # read from the file's dataset at most
HELD_OUT = 0.2
MIN_SAMPLES = 10  # fewer cannot both calibrate and leave a held-out set worth measuring
COVERAGE_SLACK = 0.1  # held-out inputs beyond the calibration range by more than this share of it
RANDOM_CALIBRATION, RANDOM_HELD_OUT = 16, 8
RANDOM_INPUTS = "seeded random inputs (floats uniform in [-1, 1), integers in [0, 8)): not your data"
ALL_LAYERS = 12
LAYERS_TRIED = 5
DEBUG_SAMPLES = 16  # samples the layer statistics run on


@dataclass
class Samples:
    """Inputs for calibration and for measuring, and what is wrong with the file's own."""

    calibration: list[list[np.ndarray]]
    held_out: list[list[np.ndarray]]
    description: str
    own: str | None = None  # the dataset function's name
    problems: list[str] = field(default_factory=list)


def measure(model: Model, route: str, namespace: dict, user_file: str) -> dict:
    """The `quantization` entry of a converted model's result (docs/CONTRACTS.md)."""
    start = time.perf_counter()
    samples = split_samples(model, namespace)
    out: dict = {"inputs": samples.description, "own_data": samples.own is not None,
                 "calibration_samples": len(samples.calibration), "held_out_samples": len(samples.held_out),
                 "problems": samples.problems}
    if samples.own:
        out["dataset"] = samples.own
    float_model = _converted(model, route, "builtins")
    out["float_memory"] = footprint(float_model)
    expected = [_float_outputs(model, s) for s in samples.held_out]
    int8 = _converted(model, route, "int8", samples.calibration)
    out["outputs"] = output_errors(expected, _run(int8, samples.held_out))
    out["error"] = max((o["error"] for o in out["outputs"]), default=0.0)
    out["layers"] = _kept_in_float(model, route, samples, expected, user_file)
    out["seconds"] = time.perf_counter() - start
    return out


def split_samples(model: Model, namespace: dict) -> Samples:
    own = _dataset_function(namespace)
    if own is not None:
        name, function = own
        problems: list[str] = []
        items = _read_dataset(function, model.specs, problems)
        if len(items) >= 2 and not any(p.startswith("shape") for p in problems):
            cut = max(1, min(len(items) - 1, round(len(items) * (1 - HELD_OUT))))
            calibration, held_out = items[:cut], items[cut:]
            if len(items) < MIN_SAMPLES:
                problems.append(f"too few samples: {name}() yields {len(items)}, fewer than {MIN_SAMPLES} "
                                f"cannot calibrate the ranges and leave held-out inputs to check them")
            problems.extend(_coverage(calibration, held_out))
            words = (f"{name}(): the first {cut} of {len(items)} samples calibrate, "
                     f"the other {len(items) - cut} are held out")
            return Samples(calibration, held_out, words, name, problems)
        if len(items) < 2:
            problems.append(f"too few samples: {name}() yields {len(items)}; measured on random inputs instead")
        random = _random_samples(model)
        random.problems, random.own = problems, None
        return random
    return _random_samples(model)


def _random_samples(model: Model) -> Samples:
    return Samples([sample_inputs(model.specs, seed) for seed in range(RANDOM_CALIBRATION)],
                   [sample_inputs(model.specs, 2_000_003 + seed) for seed in range(RANDOM_HELD_OUT)],
                   RANDOM_INPUTS)


def _dataset_function(namespace: dict):
    for name, value in namespace.items():
        if DATASET_WORD in name.lower() and inspect.isfunction(value) and _takes_no_arguments(value):
            return name, value
    return None


def _read_dataset(function, specs: list[tf.TensorSpec], problems: list[str]) -> list[list[np.ndarray]]:
    """Up to MAX_SAMPLES items, each a list of arrays in the model's input order, cast to its dtypes.
    A wrong structure, dtype or shape is a problem (a wrong shape makes the data unusable)."""
    items = []
    for item in function():
        items.append(_item(item, specs, problems))
        if len(items) >= MAX_SAMPLES:
            break
    return items


def _item(item, specs: list[tf.TensorSpec], problems: list[str]) -> list[np.ndarray]:
    if isinstance(item, dict):
        arrays = [np.asarray(v) for v in item.values()]
    elif isinstance(item, (list, tuple)):
        arrays = [np.asarray(v) for v in item]
    else:
        arrays = [np.asarray(item)]
        _once(problems, "structure: the dataset yields a bare array, not a list of arrays (one per input): TFL502")
    if len(arrays) != len(specs):
        _once(problems, f"shape: the dataset yields {len(arrays)} array(s) per sample; the model has "
                        f"{len(specs)} input(s)")
        return arrays
    out = []
    for array, spec in zip(arrays, specs):
        if not spec.shape.is_compatible_with(array.shape):
            _once(problems, f"shape: a sample of shape {list(array.shape)} for an input of shape "
                            f"{spec.shape.as_list()}")
        if array.dtype != spec.dtype.as_numpy_dtype:
            _once(problems, f"dtype: samples of dtype {array.dtype} for an input of dtype {spec.dtype.name}")
        out.append(array.astype(spec.dtype.as_numpy_dtype))
    return out


def _once(problems: list[str], problem: str) -> None:
    if problem not in problems:
        problems.append(problem)


def _coverage(calibration: list[list[np.ndarray]], held_out: list[list[np.ndarray]]) -> list[str]:
    """Held-out inputs that reach beyond the calibration range by more than COVERAGE_SLACK of it."""
    problems = []
    for i in range(len(calibration[0])):
        low = min(float(np.min(s[i])) for s in calibration)
        high = max(float(np.max(s[i])) for s in calibration)
        reach_low = min(float(np.min(s[i])) for s in held_out)
        reach_high = max(float(np.max(s[i])) for s in held_out)
        beyond = max(low - reach_low, reach_high - high, 0.0) / max(high - low, 1e-12)
        if beyond > COVERAGE_SLACK:
            problems.append(f"coverage: held-out values of input {i} reach [{reach_low:.3g}, {reach_high:.3g}], "
                            f"beyond the calibration range [{low:.3g}, {high:.3g}] by {beyond:.0%} of it: "
                            f"the samples are too few for the inputs' spread")
    return problems


def _converted(model: Model, route: str, target: str, calibration: list | None = None) -> bytes:
    conv, _ = converter(model, route, target)
    if calibration is not None:
        conv.representative_dataset = lambda: iter(calibration)
    return conv.convert()


def _float_outputs(model: Model, inputs: list[np.ndarray]) -> list[np.ndarray]:
    if model.kind == "keras":
        outputs = model.obj(keras_inputs(model, inputs), training=False)
    else:
        outputs = model.obj(*inputs)
    if isinstance(outputs, dict):
        return [np.asarray(outputs[k]) for k in sorted(outputs)]
    return [np.asarray(v) for v in tf.nest.flatten(outputs)]


def _run(flatbuffer: bytes, held_out: list[list[np.ndarray]]) -> list[list[np.ndarray]]:
    """The converted model's outputs per sample, in the order of `_float_outputs`: inputs fed in
    the order of their tensors, outputs read by name (`output_0`, ... or the dict's keys)."""
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_content=flatbuffer)
    runner = interpreter.get_signature_runner()
    names = sorted(runner.get_input_details(), key=lambda k: runner.get_input_details()[k]["index"])
    results = []
    for sample in held_out:
        got = runner(**dict(zip(names, sample)))
        results.append([np.asarray(got[k]) for k in sorted(got, key=_natural)])
    return results


def _natural(key: str):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key)]


def output_errors(expected: list[list[np.ndarray]], got: list[list[np.ndarray]]) -> list[dict]:
    """Per output: largest absolute difference over the samples, the output's range, their ratio."""
    out = []
    for i in range(len(expected[0]) if expected else 0):
        want = np.concatenate([np.ravel(e[i]).astype(np.float64) for e in expected])
        have = np.concatenate([np.ravel(g[i]).astype(np.float64) for g in got])
        diff = float(np.max(np.abs(have - want), initial=0.0)) if have.shape == want.shape else float("inf")
        span = float(np.max(want, initial=0.0) - np.min(want, initial=0.0))
        out.append({"output": i, "max_abs": diff, "range": span, "error": diff / span if span > 0 else diff})
    return out


def _kept_in_float(model: Model, route: str, samples: Samples, expected: list, user_file: str) -> list[dict]:
    """Each candidate layer kept in float, measured; ordered by the error it leaves, lowest first."""
    conv, _ = converter(model, route, "int8")
    conv.representative_dataset = lambda: iter(samples.calibration)
    conv.experimental_mlir_quantizer = True
    conv._experimental_calibrate_only = True  # what QuantizationDebugger does: calibrate once, quantize often
    calibrated = conv.convert()
    groups = _layer_groups(_node_names(calibrated, samples), model)
    lines = layer_lines(model.obj, user_file) if model.kind == "keras" else {}
    measured = []
    for layer, nodes in groups:
        selective = tflite_convert.mlir_quantize(calibrated, fully_quantize=False, denylisted_nodes=nodes)
        errors = output_errors(expected, _run(selective, samples.held_out))
        measured.append({"layer": layer, "line": lines.get(layer), "ops": len(nodes),
                         "error_in_float": max((e["error"] for e in errors), default=0.0)})
    measured.sort(key=lambda m: m["error_in_float"])
    return measured


def _node_names(calibrated: bytes, samples: Samples) -> list[tuple[str, float]]:
    """Each quantized op's output tensor name with its rmse/scale (the debugger's layer statistics),
    largest first."""
    debug_model = tflite_convert.mlir_quantize(calibrated, fully_quantize=False, enable_numeric_verify=True)
    debugger = tf.lite.experimental.QuantizationDebugger(
        quant_debug_model_content=debug_model,
        debug_dataset=lambda: iter(samples.calibration[:DEBUG_SAMPLES]))
    debugger.run()
    table = io.StringIO()
    debugger.layer_statistics_dump(table)  # its public form: one CSV row per quantized op
    table.seek(0)
    scored = []
    for row in csv.DictReader(table):
        rmse_per_step = float(np.sqrt(float(row["mean_squared_error"]))) / (float(row["scale"]) or 1.0)
        scored.append((row["tensor_name"], rmse_per_step if np.isfinite(rmse_per_step) else float("inf")))
    return sorted(scored, key=lambda s: -s[1])


def _layer_groups(nodes: list[tuple[str, float]], model: Model) -> list[tuple[str, list[str]]]:
    """The candidate layers, each with the names of its ops' output tensors: a Keras layer's ops carry
    its name scope (`functional_1/expact_1/Exp`); an op of no layer is a group of its own."""
    names, model_name, output_layer = set(), None, None
    if model.kind == "keras":
        names = {layer.name for layer in model.obj._flatten_layers(include_self=False)}
        model_name, output_layer = model.obj.name, _output_layer(model.obj)
    groups: dict[str, list[str]] = {}
    score: dict[str, float] = {}
    for node, rmse_per_step in nodes:
        # The op writing the signature's output is named after the call, not the layer: the output layer's.
        own = output_layer if output_layer and node.startswith("StatefulPartitionedCall") else node
        layer = _layer_of(node, names, model_name) or own
        groups.setdefault(layer, []).append(node)
        score[layer] = max(score.get(layer, 0.0), rmse_per_step)
    ranked = sorted(groups, key=lambda layer: -score[layer])
    return [(layer, groups[layer]) for layer in (ranked if len(ranked) <= ALL_LAYERS else ranked[:LAYERS_TRIED])]


def _output_layer(keras_model) -> str | None:
    """The layer that makes a single-output functional model's output."""
    try:
        [output] = keras_model.outputs
        return output._keras_history.operation.name
    except (AttributeError, ValueError, TypeError):
        return None


def _layer_of(node: str, names: set[str], model_name: str | None) -> str | None:
    """The innermost layer scope of an op. Tracing the model a second time suffixes every scope
    (`functional_1/dense_1/MatMul` for layer `dense` of model `functional`): when the model's own
    scope is suffixed, so are its layers'."""
    for name in node.split(";"):
        parts = name.split("/")
        suffixed = bool(model_name) and parts[0] != model_name and parts[0].startswith(model_name + "_")
        for part in reversed(parts[1:-1] if len(parts) > 2 else parts[:-1]):
            layer = re.sub(r"_\d+$", "", part) if suffixed else part
            if layer in names:
                return layer
    return None

"""Checking rewrites: convert them with TFLite builtins only, run the converted model in the LiteRT
interpreter, and compare with the original API run by TensorFlow (eager) on the same inputs.

Many rewrites can be checked in one conversion (`check`): one tf.function takes every rewrite's
inputs and returns every output by name, so the CI test converts once for all of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from ai_edge_litert.interpreter import Interpreter, OpResolverType  # noqa: E402
from tensorflow.lite.python.convert_phase import ConverterError  # noqa: E402

from alternatives.candidates import Candidate  # noqa: E402
from tflint.knowledge.targets import configure  # noqa: E402

# "exact": the largest difference is within this fraction of the output's scale (max |original|,
# at least 1): what float32 rounding through a different sequence of ops gives.
EXACT_TOLERANCE = 1e-5


@dataclass
class Check:
    converts: bool
    evidence: str = ""  # the converter's error when the rewrite does not convert
    max_error: float = 0.0  # largest |rewrite (TFLite) - original (TF)|
    scale: float = 1.0  # max(1, largest |original|)
    ops: list[str] = field(default_factory=list)  # the converted model's TFLite ops

    @property
    def relative_error(self) -> float:
        return self.max_error / self.scale


def namespace(candidate: Candidate) -> dict:
    """The names the candidate's expressions see: tf, keras, np, and what its setup defines."""
    names = {"tf": tf, "keras": keras, "np": np}
    keras.utils.set_random_seed(0)
    exec(candidate.setup, names)  # noqa: S102 (the hand-written candidate list, not user input)
    return names


def inputs(candidate: Candidate) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    values = {name: np.asarray(eval(expr, {"rng": rng, "np": np})) for name, expr in candidate.inputs.items()}
    return {name: v.astype(np.float32) if v.dtype == np.float64 else v for name, v in values.items()}


def call(expr: str, names: dict, values: dict):
    return eval(expr, {**names, **values})  # noqa: S307 (the hand-written candidate list)


def _in_graph(expr: str, names: dict):
    return tf.function(lambda values: call(expr, names, values))


def check(candidates: list[Candidate]) -> list[Check] | Check:
    """Convert every candidate's rewrite in one model and compare each output with its original.
    Returns a Check per candidate, in order, or the failed conversion's Check."""
    prepared = []
    specs = []
    for i, candidate in enumerate(candidates):
        names, values = namespace(candidate), inputs(candidate)
        # in a graph, as in a model (tf.parallel_stack has no eager form)
        expected = np.asarray(_in_graph(candidate.original, names)({k: tf.constant(v) for k, v in values.items()}))
        prepared.append((candidate, names, values, expected))
        specs.extend(tf.TensorSpec(_batched(v.shape, candidate), tf.as_dtype(v.dtype), name=f"c{i}_{k}")
                     for k, v in values.items())

    def model(*tensors):
        outputs, flat = {}, iter(tensors)
        for i, (candidate, names, values, _) in enumerate(prepared):
            mine = {k: next(flat) for k in values}
            outputs[f"c{i:03d}"] = call(candidate.use, names, mine)
        return outputs

    concrete = tf.function(model).get_concrete_function(*specs)
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete])
    configure(converter, "builtins")
    try:
        flatbuffer = converter.convert()
    except ConverterError as e:
        return Check(False, "; ".join(sorted({err.operator.name for err in e.errors if err.operator.name}))
                     or str(e).splitlines()[0])
    feed = {f"c{i}_{k}": v for i, (_, _, values, _) in enumerate(prepared) for k, v in values.items()}
    got, ops = _run(flatbuffer, feed)  # in the order of the function's outputs: sorted keys, c000, c001, ...
    return [_compare(expected, output, ops) for (_, _, _, expected), output in zip(prepared, got)]


def _run(flatbuffer: bytes, feed: dict[str, np.ndarray]) -> tuple[list[np.ndarray], list[str]]:
    """Run the converted model (without signatures: the converter writes none without a trackable
    object) on inputs by name; its outputs in order, and its ops."""
    # without XNNPACK, which would show its ops as one DELEGATE
    interpreter = Interpreter(model_content=flatbuffer,
                              experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    details = interpreter.get_input_details()
    for detail in details:
        interpreter.resize_tensor_input(detail["index"], feed[detail["name"]].shape)
    interpreter.allocate_tensors()
    for detail in details:
        interpreter.set_tensor(detail["index"], feed[detail["name"]])
    interpreter.invoke()
    outputs = [interpreter.get_tensor(d["index"]) for d in interpreter.get_output_details()]
    return outputs, sorted({op["op_name"] for op in interpreter._get_ops_details()})


def _batched(shape: tuple, candidate: Candidate) -> list:
    """The input shape as converted: a None batch, as Keras models have, unless the rewrite needs it static."""
    return list(shape) if candidate.static or not shape else [None, *shape[1:]]


def _compare(expected: np.ndarray, got: np.ndarray, ops: list[str]) -> Check:
    expected = expected.astype(np.float64)
    got = np.asarray(got).astype(np.float64)
    if expected.shape != got.shape:
        return Check(True, f"shape {got.shape}, the original's {expected.shape}", float("inf"), 1.0, ops)
    scale = max(1.0, float(np.max(np.abs(expected)))) if expected.size else 1.0
    error = float(np.max(np.abs(expected - got))) if expected.size else 0.0
    return Check(True, "", error, scale, ops)

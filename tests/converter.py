"""Test support: convert with the real TFLiteConverter and report the verdict and the failing ops."""

from __future__ import annotations

import os
from dataclasses import dataclass

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.lite.python.convert_phase import ConverterError  # noqa: E402


@dataclass
class Outcome:
    converts: bool
    failing_ops: set[str]  # 'MatrixInverse', without the 'tf.' prefix
    message: str


def _spec_shapes(specs):
    return [[d or 1 for d in s.shape] for s in specs]


def convert(concrete, target: str = "builtins", trackable=None) -> Outcome:
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete], trackable)
    if target == "select":
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS]
    elif target == "int8":
        specs = [s for s in concrete.structured_input_signature[0] if isinstance(s, tf.TensorSpec)]
        rng = np.random.default_rng(0)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.representative_dataset = lambda: (
            [rng.random(shape, dtype=np.float32).astype(s.dtype.as_numpy_dtype)
             for shape, s in zip(_spec_shapes(specs), specs)] for _ in range(4))
    try:
        converter.convert()
    except ConverterError as e:
        ops = {err.operator.name.removeprefix("tf.") for err in e.errors if err.operator.name}
        return Outcome(False, ops, str(e))
    return Outcome(True, set(), "")


def convert_function(fn, specs, target: str = "builtins") -> Outcome:
    return convert(tf.function(fn).get_concrete_function(*specs), target)

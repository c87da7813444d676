"""Test support: convert with the real TFLiteConverter; list a converted model's ops.

TensorFlow is imported only by the functions that need it, so importing this module costs
nothing in runs that deselect the `tensorflow` tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from tflint.knowledge.targets import configure

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@dataclass
class Outcome:
    converts: bool
    failing_ops: set[str]  # 'MatrixInverse', without the 'tf.' prefix
    message: str


def convert_function(fn, specs, target: str = "builtins") -> Outcome:
    """Convert `fn` traced on `specs` under builtins, or builtins plus Select TF ops."""
    import tensorflow as tf

    converter = tf.lite.TFLiteConverter.from_concrete_functions([tf.function(fn).get_concrete_function(*specs)])
    return _outcome(converter, target)


def convert_keras_model(model, target: str = "builtins") -> Outcome:
    """Convert a Keras model as its users do (`from_keras_model`)."""
    import tensorflow as tf

    return _outcome(tf.lite.TFLiteConverter.from_keras_model(model), target)


def _outcome(converter, target: str) -> Outcome:
    from tensorflow.lite.python.convert_phase import ConverterError

    configure(converter, target)
    try:
        converter.convert()
    except ConverterError as e:
        return Outcome(False, {err.operator.name.removeprefix("tf.") for err in e.errors if err.operator.name}, str(e))
    return Outcome(True, set(), "")


def interpreter(model: bytes):
    """An interpreter without default delegates, so its ops are the model's own (XNNPACK would fold
    builtin ops into one DELEGATE op)."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    return Interpreter(model_content=model,
                       experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)


def ops_of(model: bytes) -> set[str]:
    return {op["op_name"] for op in interpreter(model)._get_ops_details()}

"""Convert one model under the target's ops set, by a given route (runs in the worker)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import tensorflow as tf
from tensorflow.lite.python.convert_phase import ConverterError
from tensorflow.lite.tools import flatbuffer_utils
from tensorflow.lite.python import schema_py_generated as schema

from tflint.trace.find_models import Model
from tflint.trace.locate import Failure, failures
from tflint.knowledge.targets import configure
from tflint.trace.samples import CALIBRATION_SAMPLES, sample_inputs

KERAS_ROUTE = "from_keras_model"
CONCRETE_ROUTE = "from_concrete_functions"


@dataclass
class Conversion:
    route: str
    seconds: float = 0.0
    flatbuffer: bytes | None = None  # set when the model converted
    failures: list[Failure] = field(default_factory=list)
    problem: str | None = None  # an exception other than ConverterError (the route itself broke)

    @property
    def converted(self) -> bool:
        return self.flatbuffer is not None


def verdict_route(model: Model) -> str:
    """The route the model's user would take: that route's answer is the verdict."""
    return KERAS_ROUTE if model.kind == "keras" else CONCRETE_ROUTE


def concrete_function(model: Model):
    """The model traced for `model.specs`; a Keras model is called in inference mode."""
    if model.kind == "function":
        return model.obj.get_concrete_function(*model.specs)
    keras_model = model.obj
    if len(model.specs) == 1:
        return tf.function(lambda x: keras_model(x, training=False)).get_concrete_function(model.specs[0])
    return tf.function(lambda *xs: keras_model(list(xs), training=False)).get_concrete_function(*model.specs)


def converter(model: Model, route: str, target: str) -> tf.lite.TFLiteConverter:
    if route == KERAS_ROUTE:
        conv = tf.lite.TFLiteConverter.from_keras_model(model.obj)
    else:
        # The trackable gives the model a serving signature, so inputs and outputs have names.
        trackable = model.obj if model.kind == "keras" else model.owner or tf.Module()
        conv = tf.lite.TFLiteConverter.from_concrete_functions([concrete_function(model)], trackable)
    configure(conv, target, lambda: (sample_inputs(model.specs, seed) for seed in range(CALIBRATION_SAMPLES)))
    return conv




def convert(model: Model, route: str, target: str, user_file: str) -> Conversion:
    result = Conversion(route)
    start = time.perf_counter()
    try:
        result.flatbuffer = converter(model, route, target).convert()
    except ConverterError as e:
        result.failures = failures(e.errors, user_file) or [Failure(None, "UNKNOWN", _first_line(e), None)]
    except Exception as e:  # the route itself broke (tracing, saving, an unsupported model)
        result.problem = f"{type(e).__name__}: {_first_line(e)}"
    result.seconds = time.perf_counter() - start
    return result


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.split("\n", 1)[0][:500] if text else type(e).__name__


def model_ops(flatbuffer: bytes) -> list[str]:
    """The ops of a converted model: builtin names (FULLY_CONNECTED) and custom codes (FlexMatrixInverse)."""
    codes = flatbuffer_utils.read_model_from_bytearray(bytearray(flatbuffer)).operatorCodes
    names = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    out = []
    for oc in codes:
        if oc.customCode:
            out.append(oc.customCode.decode() if isinstance(oc.customCode, bytes) else oc.customCode)
        else:
            out.append(names.get(max(oc.builtinCode, oc.deprecatedBuiltinCode), str(oc.builtinCode)))
    return sorted(set(out))

"""Convert one model under the target's ops set, by a given route (runs in the worker).

Routes, in the order a Keras model's user would try them: `from_keras_model`; for inputs that
are a dict or nested (on which `from_keras_model` fails in TF 2.21), the same call on a
functional wrapper taking the same inputs as a flat list; a concrete function of the model's
call. Anything else (tf.function, tf.Module) has one route: `from_concrete_functions`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import keras
import tensorflow as tf
from tensorflow.lite.python.convert_phase import ConverterError
from tensorflow.lite.python import schema_py_generated as schema
from tensorflow.lite.tools import flatbuffer_utils

from tflint.knowledge.targets import configure
from tflint.trace.causes import innermost_cause
from tflint.trace.find_models import Model
from tflint.trace.samples import CALIBRATION_SAMPLES, cast, int_bound, own_samples, sample_inputs

KERAS_ROUTE = "from_keras_model"
WRAPPER_ROUTE = "from_keras_model (list-input wrapper)"
CONCRETE_ROUTE = "from_concrete_functions"


@dataclass
class Conversion:
    route: str
    seconds: float = 0.0
    flatbuffer: bytes | None = None  # set when the model converted
    errors: tuple = ()  # ConverterError.errors: the converter's verdict that it fails
    message: str = ""  # the ConverterError's first line, for errors without structure
    problem: str | None = None  # an exception other than ConverterError (the route itself broke)
    concrete: object = None  # the concrete function converted (from_concrete_functions)

    @property
    def converted(self) -> bool:
        return self.flatbuffer is not None


def routes(model: Model) -> list[str]:
    """The routes to try for the model, the user's own first."""
    if model.kind != "keras":
        return [CONCRETE_ROUTE]
    if model.structure is not None and not _flat_list(model.structure):
        return [KERAS_ROUTE, WRAPPER_ROUTE, CONCRETE_ROUTE]
    return [KERAS_ROUTE, CONCRETE_ROUTE]


def _flat_list(structure) -> bool:
    return not isinstance(structure, (dict, list, tuple)) or (
        isinstance(structure, (list, tuple)) and not any(isinstance(s, (dict, list, tuple)) for s in structure))


def keras_inputs(model: Model, flat: list):
    """The flat inputs in the structure the Keras model is called with (dict, nested, list, one tensor)."""
    if model.structure is not None and len(keras.tree.flatten(model.structure)) == len(flat):
        return keras.tree.pack_sequence_as(model.structure, list(flat))
    return flat[0] if len(flat) == 1 else list(flat)


def concrete_function(model: Model, specs: list[tf.TensorSpec] | None = None):
    """The model traced for `specs` (default `model.specs`); a Keras model is called in inference mode."""
    specs = model.specs if specs is None else specs
    if model.kind == "function":
        return model.obj.get_concrete_function(*specs)
    keras_model = model.obj
    return tf.function(lambda *xs: keras_model(keras_inputs(model, xs), training=False)).get_concrete_function(*specs)


def _wrapper(model: Model):
    """A functional model taking the Keras model's inputs as a flat list, named as the model's."""
    inputs = [keras.Input(batch_shape=s.shape, dtype=s.dtype, name=s.name) for s in model.specs]
    return keras.Model(inputs, model.obj(keras_inputs(model, inputs), training=False))


def converter(model: Model, route: str, target: str, specs: list[tf.TensorSpec] | None = None):
    """The converter for `route`, and the concrete function it converts (None for the Keras routes)."""
    concrete = None
    if route == KERAS_ROUTE:
        conv = tf.lite.TFLiteConverter.from_keras_model(model.obj)
    elif route == WRAPPER_ROUTE:
        conv = tf.lite.TFLiteConverter.from_keras_model(_wrapper(model))
    else:
        # The trackable gives the model a serving signature, so inputs and outputs have names.
        trackable = model.obj if model.kind == "keras" else model.owner or tf.Module()
        concrete = concrete_function(model, specs)
        conv = tf.lite.TFLiteConverter.from_concrete_functions([concrete], trackable)
    configure(conv, target, lambda: calibration(model, model.specs if specs is None else specs))
    return conv, concrete


def calibration(model: Model, specs: list[tf.TensorSpec]):
    """int8's representative dataset: the file's own when it has one that fits, else seeded inputs."""
    own = own_samples(model.home, len(specs))
    if own is not None and all(spec.shape.is_compatible_with(x.shape) for x, spec in zip(own[1][0], specs)):
        return iter([cast(batch, specs) for batch in own[1]])
    bound = int_bound(model.obj)
    return (sample_inputs(specs, seed, int_bound=bound) for seed in range(CALIBRATION_SAMPLES))


def convert(model: Model, route: str, target: str, specs: list[tf.TensorSpec] | None = None) -> Conversion:
    result = Conversion(route)
    start = time.perf_counter()
    try:
        conv, result.concrete = converter(model, route, target, specs)
        result.flatbuffer = conv.convert()
    except ConverterError as e:
        result.errors, result.message = tuple(e.errors), one_line(e)
    except Exception as e:  # the route itself broke (tracing, saving, an unsupported model)
        result.problem = innermost_cause(e)
    result.seconds = time.perf_counter() - start
    return result


def one_line(e: BaseException) -> str:
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

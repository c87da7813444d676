"""Keras layers: build a layer from its constructor signature and call it inside a tiny function.

The batch dimension is None, as a Keras `Input` makes it: that is what users convert, and
it decides some verdicts (recurrent layers need TensorLists with a dynamic batch).
"""

from __future__ import annotations

import functools
import inspect
import tempfile
from typing import Any, NamedTuple

import keras
import tensorflow as tf

from .arguments import Make

LAYER_ARGS = {
    "units": 2, "filters": 2, "kernel_size": 2, "pool_size": 2, "rate": 0.5, "output_dim": 4, "input_dim": 5,
    "target_shape": (-1,), "dims": (1,), "n": 2, "size": 2, "cropping": 1, "padding": 1, "num_heads": 2,
    "key_dim": 2, "axis": -1, "height": 2, "width": 2, "activation": "relu", "output_size": 2, "groups": 1,
    "factor": 0.1, "scale": 1.0, "offset": 0.0, "stddev": 0.1, "num_bins": 4, "num_tokens": 4, "mean": 0.0,
    "variance": 1.0, "equation": "ab,bc->ac", "output_shape": 2, "vocabulary": ["a", "b"], "value_range": (0, 1),
    "num_query_heads": 2, "num_key_value_heads": 1, "head_dim": 2, "depth_multiplier": 1, "max_tokens": 4,
    "bin_boundaries": [0.5], "max_value": 1.0, "negative_slope": 0.1, "theta": 1.0, "threshold": 0.0,
    "l1": 0.01, "l2": 0.01, "mask_value": 0.0, "num_classes": 2, "sampling_rate": 16000, "crossing_dim": 4,
    "sequence_length": 4, "fft_length": 4, "frame_length": 4, "frame_step": 2, "num_mel_bins": 4,
}
# Optional (default None) constructor arguments a layer cannot run without (CategoryEncoding, Discretization).
NEEDED = {"num_tokens", "num_bins"}
INPUT_SHAPES = (
    (tf.float32, (None, 6)),
    (tf.float32, (None, 4, 3)),
    (tf.float32, (None, 8, 8, 3)),
    (tf.float32, (None, 4, 4, 4, 3)),
    (tf.int32, (None, 4)),
    (tf.string, (None, 1)),
)
CALL_FORMS = ("x", "[x, x]", "x, x")


class Case(NamedTuple):
    """A layer the tables by name cannot build: constructor arguments (a Make is built anew for
    each layer), the inputs to try, and whether users call it inside keras.layers.RNN (a cell)."""

    kwargs: dict[str, Any]
    shapes: tuple = INPUT_SHAPES
    in_rnn: bool = False


def _lstm_cells(count: int) -> Make:
    return Make(lambda: [keras.layers.LSTMCell(2) for _ in range(count)], f"[LSTMCell(2)] * {count}")


@functools.cache
def _saved_relu() -> str:
    """A SavedModel (relu of float32[None, 6]) for TFSMLayer, written once per run to a temporary folder."""
    module = tf.Module()
    module.serve = tf.function(tf.nn.relu, input_signature=[tf.TensorSpec((None, 6), tf.float32)])
    path = tempfile.mkdtemp(prefix="tflint-probe-")
    tf.saved_model.save(module, path, signatures={"serving_default": module.serve})
    return path


CASES = {
    "keras.layers.Bidirectional": Case({"layer": Make(lambda: keras.layers.LSTM(2), "LSTM(2)")}),
    "keras.layers.ConvLSTM3D": Case({}, ((tf.float32, (None, 2, 4, 4, 4, 3)),)),  # [batch, time, depth, h, w, c]
    "keras.layers.Discretization": Case({"bin_boundaries": [0.0, 0.5], "num_bins": None}),
    "keras.layers.Dot": Case({"axes": 1}),
    "keras.layers.GRUCell": Case({}, in_rnn=True),
    "keras.layers.GroupNormalization": Case({"groups": 3}),  # divides the 6 or 3 channels of INPUT_SHAPES
    "keras.layers.LSTMCell": Case({}, in_rnn=True),
    "keras.layers.Lambda": Case({"function": Make(lambda: lambda x: x * 2.0, "lambda x: x * 2.0")}),
    "keras.layers.Pipeline": Case({"layers": Make(lambda: [keras.layers.Rescaling(2.0), keras.layers.Dense(2)],
                                                  "[Rescaling(2.0), Dense(2)]")}),
    "keras.layers.RNN": Case({"cell": Make(lambda: keras.layers.LSTMCell(2), "LSTMCell(2)")}),
    "keras.layers.RandomPosterization": Case({"factor": 4, "value_range": (0, 255)}),
    "keras.layers.RandomTranslation": Case({"height_factor": 0.1, "width_factor": 0.1}),
    "keras.layers.RandomZoom": Case({"height_factor": 0.1}),
    "keras.layers.StackedRNNCells": Case({"cells": _lstm_cells(2)}, in_rnn=True),
    "keras.layers.TFSMLayer": Case({"filepath": Make(_saved_relu, "SavedModel of relu"),
                                    "call_endpoint": "serving_default"}, ((tf.float32, (None, 6)),)),
}


def case(name: str) -> Case:
    return CASES.get(name, Case({}))


def build(cls, kwargs: dict, in_rnn: bool):
    layer = cls(**{name: value.make() if isinstance(value, Make) else value for name, value in kwargs.items()})
    return keras.layers.RNN(layer) if in_rnn else layer


def constructor_kwargs(cls, extra: dict, name: str = "") -> dict | None:
    """Values for the constructor's required parameters, or None when one is unknown."""
    kwargs = {**case(name).kwargs, **extra}
    for p in inspect.signature(cls.__init__).parameters.values():
        if p.name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.name in kwargs:
            continue
        if p.default is not p.empty and not (p.default is None and p.name in NEEDED):
            continue
        if p.name in ("cell", "layer", "forward_layer"):
            kwargs[p.name] = keras.layers.LSTMCell(2) if p.name == "cell" else keras.layers.Dense(2)
        elif p.name in LAYER_ARGS:
            kwargs[p.name] = LAYER_ARGS[p.name]
        else:
            return None
    return kwargs


def call(layer, form: str, x):
    kwargs = {"training": False} if "training" in inspect.signature(layer.call).parameters else {}
    if form == "x":
        return layer(x, **kwargs)
    if form == "[x, x]":
        return layer([x, x], **kwargs)
    return layer(x, x, **kwargs)

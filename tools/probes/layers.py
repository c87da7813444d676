"""Keras layers: build a layer from its constructor signature and call it inside a tiny function.

The batch dimension is None, as a Keras `Input` makes it: that is what users convert, and
it decides some verdicts (recurrent layers need TensorLists with a dynamic batch).
"""

from __future__ import annotations

import inspect

import tensorflow as tf

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


def constructor_kwargs(cls, extra: dict) -> dict | None:
    """Values for the constructor's required parameters, or None when one is unknown."""
    kwargs = dict(extra)
    for p in inspect.signature(cls.__init__).parameters.values():
        if p.name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.name in kwargs:
            continue
        if p.default is not p.empty and not (p.default is None and p.name in NEEDED):
            continue
        if p.name in ("cell", "layer", "forward_layer"):
            import keras
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

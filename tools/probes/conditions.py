"""Argument values that may change the ops an API emits, probed beside the default: per API
(CONDITIONS), per parameter name wherever it appears (ENUMS, domains read from the docstrings
and signatures of TF 2.21 / Keras 3.15), and every boolean flipped."""

from __future__ import annotations

import inspect
import math

from . import catalog

DTYPES = ("float32", "float16", "float64", "int32", "int64")  # values of a `dtype=` parameter
RESIZE_METHODS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")
KERAS_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5", "area")
CONDITIONS: dict[str, dict[str, tuple]] = {
    "tf.image.resize": {"method": RESIZE_METHODS},
    "tf.image.resize_with_pad": {"method": ("bilinear", "nearest", "bicubic", "area")},
    "tf.compat.v1.image.resize": {"method": (0, 1, 2, 3)},  # tf.compat.v1.image.ResizeMethod: ints
    "tf.image.crop_and_resize": {"method": ("bilinear", "nearest")},
    "tf.pad": {"mode": ("CONSTANT", "REFLECT", "SYMMETRIC")},
    "tf.image.extract_glimpse": {"noise": ("uniform", "gaussian", "zero")},
    "tf.signal.dct": {"type": (1, 2, 3, 4), "norm": ("ortho",)},
    "tf.signal.idct": {"type": (1, 2, 3, 4), "norm": ("ortho",)},
    "tf.fingerprint": {"method": ("farmhash64",)},
    "keras.ops.pad": {"mode": ("constant", "reflect", "symmetric")},
    "keras.ops.correlate": {"mode": ("valid", "same", "full")},
    "keras.ops.linalg.qr": {"mode": ("reduced", "complete")},
    "keras.ops.image.resize": {"interpolation": KERAS_INTERPOLATIONS},
    "keras.ops.quantile": {"method": ("linear", "lower", "higher", "midpoint", "nearest")},
    "keras.ops.percentile": {"method": ("linear", "lower", "higher", "midpoint", "nearest")},
    "keras.layers.Resizing": {"interpolation": KERAS_INTERPOLATIONS},
    "keras.layers.UpSampling2D": {"interpolation": ("nearest", "bilinear", "bicubic")},
}
# Parameters with an enumerated domain, by name, for every API that has them (tf and keras spell
# some in other cases: a value the API rejects simply does not trace).
ENUMS: dict[str, tuple] = {
    "padding": ("valid", "same", "causal", "VALID", "SAME"),
    "interpolation": KERAS_INTERPOLATIONS,
    "fill_mode": ("constant", "nearest", "wrap", "reflect", "mirror"),
    "output_mode": ("int", "one_hot", "multi_hot", "count", "tf_idf"),
    "ord": ("euclidean", "fro", "nuc", 1, 2, -1, -2, math.inf),
    "side": ("left", "right"),
    "align": ("RIGHT_LEFT", "LEFT_RIGHT", "LEFT_LEFT", "RIGHT_RIGHT"),
    "merge_mode": ("concat", "sum", "mul", "ave", None),
    "score_mode": ("dot", "concat"),
    "strategy": ("greedy", "beam_search"),
    "indexing": ("xy", "ij"),
    "order": (0, 1),
    "window": ("hann", "hamming", None),
    "round_mode": ("HALF_AWAY_FROM_ZERO", "HALF_TO_EVEN"),
    "diagonals_format": ("compact", "matrix", "sequence"),
}
# Channels-last layouts and their channels-first twins (`data_format=`).
CHANNELS_FIRST = {"NHWC": "NCHW", "NWC": "NCW", "NDHWC": "NCDHW", "channels_last": "channels_first"}
# Flags that do not change the graph's ops in a way a model would see, or break a one-call probe.
SKIP_FLAGS = {"validate_args", "optimize", "use_cudnn_on_gpu", "trainable", "dynamic", "autocast", "stateful",
              "keepdims", "name", "return_state", "debug_mode"}


def conditions_for(api: catalog.Api) -> dict[str, tuple]:
    """Parameter -> values to probe beside the default."""
    defaults = _defaults(api)
    out = {name: ENUMS[name] for name in defaults if name in ENUMS}
    out.update({name: (not value,) for name, value in defaults.items()
                if isinstance(value, bool) and name not in SKIP_FLAGS})
    out.update({name: (CHANNELS_FIRST[value],) for name, value in defaults.items()
                if name == "data_format" and value in CHANNELS_FIRST})
    out.update(CONDITIONS.get(api.name, {}))
    if "dtype" in defaults and api.kind == "function":
        out["dtype"] = DTYPES
    return out


def _defaults(api: catalog.Api) -> dict[str, object]:
    """Parameter name -> default value (inspect's `empty` for required ones)."""
    obj = catalog.resolve(api.name)
    try:
        params = inspect.signature(obj.__init__ if api.kind == "layer" else obj).parameters.values()
    except (TypeError, ValueError):
        return {}
    return {p.name: p.default for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}

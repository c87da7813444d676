"""Which public APIs to probe, and every name each is exported under.

Names come from the libraries' own export metadata: TensorFlow's `tf_export` registry
(`_tf_api_names` / `_tf_api_names_v1` on each symbol) and Keras's public module tree.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

NAMESPACES = ("math", "nn", "image", "linalg", "signal", "strings", "random", "bitwise", "sparse", "ragged")
# What the "tf" namespace column of the coverage report means: functions exported at top level.
TOP = "tf"
KERAS_OPS_MODULES = ("", "numpy", "nn", "image", "linalg", "core", "math")
_GRAPH_LESS = "Keras's TensorFlow backend tests a tensor in a Python `if`: it does not trace into a graph"
# Why the APIs no call is built for cannot be probed here; the reason the run records starts with
# this, then the first trace error (the run still tries them: a new version may trace).
NOT_PROBED = {
    "tf.load_library": "loads a compiled op library from a file (no such file here)",
    "tf.load_op_library": "loads a compiled op library from a file (no such file here)",
    "keras.layers.FlaxLayer": "wraps a Flax module (JAX backend; JAX is not installed)",
    "keras.layers.JaxLayer": "wraps JAX functions (JAX backend; JAX is not installed)",
    "keras.layers.TorchModuleWrapper": "wraps a PyTorch module (torch backend; PyTorch is not installed)",
    "keras.layers.InputLayer": "makes a model's input (keras.Input); it is not called on tensors",
    "keras.layers.Layer": "abstract base class: its call() is not implemented",
    "keras.layers.Wrapper": "abstract base class: its call() is not implemented",
    "keras.layers.MaxNumBoundingBoxes": "takes a dict of images and bounding boxes; layers are probed on one tensor",
    "keras.layers.STFTSpectrogram": "needs scipy for its window, which the trace extra does not install",
    "keras.ops.bartlett": _GRAPH_LESS,
    "keras.ops.corrcoef": _GRAPH_LESS,
    "keras.ops.isin": _GRAPH_LESS,
    "keras.ops.kron": "Keras's TensorFlow backend loops range() over a tensor: it does not trace into a graph",
    "keras.ops.convert_to_numpy": "returns a NumPy array: eager only, there is no graph to convert",
    "keras.ops.vectorize": "returns a function, whose ops are keras.ops.vectorized_map's (probed)",
}


@dataclass
class Api:
    name: str                      # canonical name, e.g. tf.nn.fractional_max_pool
    namespace: str                 # tf.nn, tf, keras.ops, keras.layers ...
    kind: str                      # "function" | "layer"
    aliases: list[str] = field(default_factory=list)
    params: list[str] = field(default_factory=list)


def _tf_registry():
    from tensorflow.python.util import tf_decorator, tf_export
    return tf_export, tf_decorator


def _params(obj) -> list[str]:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    return [p.name for p in sig.parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name != "self"]


def _is_function(obj) -> bool:
    return callable(obj) and not inspect.isclass(obj) and not inspect.ismodule(obj)


def tensorflow_apis() -> list[Api]:
    """Functions exported (TF2 API) in the probed namespaces, with all their export names."""
    tf_export, tf_decorator = _tf_registry()
    mapping = tf_export._NAME_TO_SYMBOL_MAPPING  # every exported name -> symbol
    by_symbol: dict[int, list[str]] = {}
    for name, symbol in mapping.items():
        by_symbol.setdefault(id(tf_decorator.unwrap(symbol)[1]), []).append(name)
    apis: dict[str, Api] = {}
    for name, symbol in sorted(mapping.items()):
        if name.startswith("compat.") or not _is_function(symbol):
            continue
        head = name.split(".")[0] if "." in name else TOP
        if head not in NAMESPACES and head != TOP:
            continue
        if "." in name and name.count(".") > 1:
            continue
        canonical = tf_export.get_canonical_name_for_symbol(symbol)
        if canonical is None or canonical.startswith("compat."):
            continue
        qual = f"tf.{canonical}"
        if not _public(qual):
            continue  # registered, but not reachable from the installed `tf` module
        if qual in apis or (f"tf.{name}" != qual and _in_scope(canonical)):
            continue  # reached through its canonical name
        target = id(tf_decorator.unwrap(symbol)[1])
        names = by_symbol[target]
        # tf.compat.v1.X is an alias only when it is the same function (v1 image.resize is not)
        aliases = sorted({f"tf.{n}" for n in names} | {f"tf.compat.v2.{n}" for n in names if not n.startswith("compat.")}
                         | {f"tf.compat.v1.{n}" for n in names if not n.startswith("compat.") and
                            f"compat.v1.{n}" in mapping and id(tf_decorator.unwrap(mapping[f"compat.v1.{n}"])[1]) == target})
        aliases.remove(qual)
        head = canonical.split(".")[0] if "." in canonical else TOP
        namespace = f"tf.{head}" if head in NAMESPACES else "tf"  # e.g. tf.cast (canonical tf.dtypes.cast)
        apis[qual] = Api(qual, namespace, "function", aliases, _params(symbol))
    return list(apis.values())


def compat_v1_apis() -> list[Api]:
    """tf.compat.v1 functions of the probed namespaces that have no TF2 name (resize_bilinear,
    the v1 conv2d with use_cudnn_on_gpu, ...). Top-level v1 functions are left out: many change
    global state (disable_eager_execution, reset_default_graph) and would break the prober."""
    tf_export, tf_decorator = _tf_registry()
    names_of: dict[int, list[str]] = {}
    for name, symbol in sorted(tf_export._NAME_TO_SYMBOL_MAPPING.items()):
        function = tf_decorator.unwrap(symbol)[1]
        if name.startswith("compat.v1.") and _is_function(symbol) and not getattr(function, "_tf_api_names", ()):
            names_of.setdefault(id(function), []).append(f"tf.{name}")
    apis = []
    for names in names_of.values():
        names.sort(key=lambda n: (n.count(".") != 4, n))  # tf.compat.v1.<namespace>.<name> first
        parts = names[0].split(".")
        if len(parts) == 5 and parts[3] in NAMESPACES and not parts[4].startswith(("set_", "get_")) and _public(names[0]):
            apis.append(Api(names[0], "tf.compat.v1", "function", names[1:], _params(resolve(names[0]))))
    return apis


def _in_scope(canonical: str) -> bool:
    head = canonical.split(".")[0] if "." in canonical else TOP
    return (head in NAMESPACES and canonical.count(".") == 1) or head == TOP


def _public(name: str) -> bool:
    try:
        resolve(name)
    except AttributeError:
        return False
    return True


def raw_op_names() -> set[str]:
    import tensorflow as tf
    return {n for n in dir(tf.raw_ops) if not n.startswith("_")}


def keras_apis() -> list[Api]:
    """keras.ops functions and keras.layers classes; aliases are the other public names of one object."""
    import keras
    out: list[Api] = []
    ops_names: dict[int, list[str]] = {}
    for sub in KERAS_OPS_MODULES:
        module = getattr(keras.ops, sub, None) if sub else keras.ops
        if not inspect.ismodule(module):
            continue
        prefix = f"keras.ops.{sub}." if sub else "keras.ops."
        for n in dir(module):
            obj = getattr(module, n)
            if not n.startswith("_") and _is_function(obj):
                ops_names.setdefault(id(obj), []).append(prefix + n)
    for names in ops_names.values():
        names.sort(key=lambda n: (n.count("."), n))
        obj = _resolve(keras, names[0])
        out.append(Api(names[0], "keras.ops", "function", names[1:], _params(obj)))
    layer_names: dict[int, list[str]] = {}
    for n in dir(keras.layers):
        obj = getattr(keras.layers, n)
        if inspect.isclass(obj) and issubclass(obj, keras.layers.Layer):
            layer_names.setdefault(id(obj), []).append(f"keras.layers.{n}")
    for names in layer_names.values():
        names.sort(key=lambda n: (len(n), n))  # Conv2D before Convolution2D
        obj = _resolve(keras, names[0])
        out.append(Api(names[0], "keras.layers", "layer", names[1:], _params(obj.__init__)))
    return sorted(out, key=lambda a: a.name)


def _resolve(root, dotted: str):
    obj = root
    for part in dotted.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def resolve(name: str):
    """The Python object for a canonical API name (tf.* or keras.*)."""
    if name.startswith("keras."):
        import keras
        return _resolve(keras, name)
    import tensorflow as tf
    return _resolve(tf, name)

"""The vocabulary of model code, shared by the in-file reach (libcst) and the project index (CPython's
tree): canonical spellings of TensorFlow and Keras names, what builds or wraps a model, which
methods Keras calls, and what kind of class a base class makes. No libcst here: a warm run that
builds the project index from cached summaries must not load it.
"""

from __future__ import annotations

import re

_PREFIXES = (
    ("tensorflow.keras.", "keras."),
    ("tensorflow.", "tf."),
    ("keras.src.", "keras."),  # Keras's own sources, and code that copies them: `from keras.src import ops`
)
_EXACT = {"tensorflow": "tf", "tensorflow.keras": "keras", "keras.src": "keras"}


def canonical(dotted: str) -> str:
    """`tensorflow.nn.relu` -> `tf.nn.relu`; `tensorflow.keras.layers`, `keras.src.layers` -> `keras.layers`."""
    if dotted in _EXACT:
        return _EXACT[dotted]
    for prefix, replacement in _PREFIXES:
        if dotted.startswith(prefix):
            return replacement + dotted[len(prefix):]
    return dotted


def keras_name(qualname: str | None) -> str | None:
    """`tf.keras.layers.LSTM` and `keras.layers.LSTM` alike -> `keras.layers.LSTM`."""
    if qualname is not None and qualname.startswith("tf.keras."):
        return qualname[3:]
    return qualname


FACTORY = re.compile(r"^(build|create|make|get)_\w*model$|^model_fn$")
MODEL_BUILDERS = {"keras.Model", "keras.models.Model", "keras.Sequential", "keras.models.Sequential",
                  "keras.Input", "keras.layers.Input", "keras.layers.InputLayer"}
# Handing a function to these makes it graph code wherever that happens.
WRAPPERS = {"tf.function", "keras.layers.Lambda", "tf.compat.v1.function"}
# `x.map(fn)` and friends: tf.data pipeline stages, which run outside the converted model.
PIPELINE_METHODS = {"map", "filter", "flat_map", "interleave", "from_generator", "group_by_window", "scan",
                    "reduce", "apply"}
INPUTS = {"keras.Input", "keras.layers.Input", "keras.layers.InputLayer"}
# Methods Keras or TensorFlow call on a model object themselves.
ENTRY_METHODS = {"call", "__call__", "build", "__init__"}

# Bases that make a class a whole Keras model rather than one layer of it.
_MODEL_BASES = {"keras.Model", "keras.models.Model", "keras.Sequential", "keras.models.Sequential"}
LAYER, MODEL, MODULE = "layer", "model", "module"  # kinds of custom classes
# Keras objects that run in training or evaluation only (regularizers add loss terms, constraints
# act after weight updates, initializers' values become constants): none is part of a converted model.
TRAINING = "training"
_TRAINING_PREFIXES = ("keras.metrics.", "keras.losses.", "keras.callbacks.", "keras.optimizers.",
                      "keras.regularizers.", "keras.constraints.", "keras.initializers.")
# Functions that are training code whatever wraps them: a model's training hooks, and any function
# that records gradients.
TRAINING_FUNCTIONS = {"train_step", "test_step", "compute_loss"}
GRADIENT_TAPE = "tf.GradientTape"


def kind_of_base(name: str | None) -> str | None:
    """What a class deriving from the class `name` (a qualified name) is, if not a local class."""
    if name == "tf.Module":
        return MODULE
    if name is not None and name.startswith(("keras.", "tf_keras.")):  # Keras 3, or Keras 2 as tf_keras
        name = name.removeprefix("tf_")
        if name.startswith(_TRAINING_PREFIXES):
            return TRAINING
        return MODEL if name in _MODEL_BASES else LAYER
    return None

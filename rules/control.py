"""TFL4xx: control flow and state: Python callbacks in the graph."""

from __future__ import annotations

import libcst as cst

from tflint.diagnostics import Severity
from tflint.rule import Example, Rule, words

_CALLBACKS = {
    "tf.py_function": "EagerPyFunc",
    "tf.compat.v1.py_function": "EagerPyFunc",
    "tf.numpy_function": "PyFunc",
    "tf.compat.v1.numpy_function": "PyFunc",
    "tf.compat.v1.py_func": "PyFunc",
    "tf.py_func": "PyFunc",
}


class PythonCallback(Rule):
    """`tf.py_function` / `tf.numpy_function` / `tf.py_func` in model code.

    ## What it does
    Reports calls that embed a Python function in the TensorFlow graph.

    ## Why it breaks in TFLite
    The op (EagerPyFunc or PyFunc) calls back into the Python interpreter that traced the
    model. A TFLite model runs without Python, so no kernel exists for it: conversion fails
    under every target, Select TF ops included.

    ## Example
    ```python
    y = tf.py_function(lambda a: a * 2, [x], tf.float32)
    ```

    ## Use instead
    ```python
    y = x * 2          # express the computation with TensorFlow ops
    ```

    ## Evidence
    TF 2.21, builtins and Select TF ops alike: `error: 'tf.EagerPyFunc' op is neither a
    custom op nor a flex op` (`'tf.PyFunc'` for tf.numpy_function).
    """

    code = "TFL401"
    name = "python-callback"
    severity = Severity.ERROR
    VALID = (Example("import tensorflow as tf\ny = tf.math.multiply(x, 2.0)\n"),)
    INVALID = (
        Example("import tensorflow as tf\ny = tf.py_function(lambda a: a * 2, [x], tf.float32)  # TFL401\n"),
        Example("from tensorflow import numpy_function\ny = numpy_function(f, [x], 'float32')  # TFL401\n",
                target="select"),
    )

    @classmethod
    def triggers(cls, knowledge):
        return words(*_CALLBACKS)

    def visit_Call(self, node: cst.Call) -> None:
        name = self.ctx.call_name(node)
        if name in _CALLBACKS:
            op = _CALLBACKS[name]
            self.ctx.report(self, node, f"{name} embeds Python in the graph ({op}): TFLite runs without Python, "
                                        f"so conversion fails under every target, Select TF ops included", op=op)

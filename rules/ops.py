"""TFL1xx: operators with no TFLite kernel under the target, Select-TF-only ops, float64 math."""

from __future__ import annotations

import libcst as cst

from tflint.callargs import argument, dtype_name, literal, literal_args
from tflint.diagnostics import Severity
from tflint.knowledge import CONVERTS, FAILS, Knowledge, Verdict
from tflint.rule import Example, Rule, words


def call_verdict(rule: Rule, call: cst.Call) -> Verdict | None:
    """What the op knowledge says about this call, or None for an unknown or non-TF call."""
    qualname = rule.ctx.call_name(call)
    if qualname is None or _folded(rule, call):
        return None
    entry = rule.ctx.knowledge.entry(qualname)
    if entry is None:
        return None
    return entry.verdict(literal_args(rule.ctx, call, entry.params))


def _folded(rule: Rule, call: cst.Call) -> bool:
    """Every argument is a literal or read from `self` (a layer's weights), and one is a weight.

    The converter freezes weights and computes such an op at conversion time: the op is gone
    from the model. Measured (TF 2.21, builtins): `tf.linalg.inv`, `tf.linalg.svd`,
    `tf.nn.fractional_max_pool`, bicubic `tf.image.resize` and `tf.strings.length` applied to a
    tf.Variable all convert (tools/audit.py; tf-models-official's gaussian_process.py).
    """
    weights = 0
    for arg in call.args:
        if _reads_self(arg.value):
            weights += 1
        elif arg.star or literal(rule.ctx, arg.value) is None:
            return False
    return weights > 0


def _reads_self(node: cst.CSTNode) -> bool:
    if not isinstance(node, (cst.Attribute, cst.Subscript)):
        return False
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        node = node.value
    return isinstance(node, cst.Name) and node.value == "self"


def failing_api_words(knowledge: Knowledge) -> list[frozenset[str]]:
    """Trigger sets of every API name and alias whose op fails to convert under some target."""
    return words(*(name for name, entry in knowledge.names()
                   if any(FAILS in verdict.status.values() for verdict in entry.verdicts())))


def _described(rule: Rule, call: cst.Call, verdict: Verdict) -> str:
    name = rule.ctx.call_name(call)
    return f"{name}({verdict.condition})" if verdict.condition else name


def _ops(verdict: Verdict) -> str:
    return ", ".join(verdict.ops) or "?"


class NoKernel(Rule):
    """An op with no TFLite kernel under the target, not even with Select TF ops.

    ## What it does
    Reports calls whose TensorFlow op the converter rejects under the chosen target even
    when Select TF ops (the Flex delegate) are enabled, e.g. `tf.nn.fractional_max_pool`
    (FractionalMaxPool) or `tf.linalg.svd` (Svd). The verdict comes from tflint's op
    knowledge, which was produced by converting each API with the TensorFlow it names.

    ## Why it breaks in TFLite
    TFLite runs a fixed set of builtin kernels; Select TF ops add an allowlist of TensorFlow
    kernels. An op in neither cannot be converted: the converter stops with an error.

    ## Example
    ```python
    pooled, _, _ = tf.nn.fractional_max_pool(x, [1.0, 1.44, 1.73, 1.0])
    ```

    ## Use instead
    ```python
    pooled = tf.nn.max_pool2d(x, ksize=2, strides=2, padding="SAME")
    ```

    ## Evidence
    TF 2.21, builtins and Select TF ops alike: `error: 'tf.FractionalMaxPool' op is neither
    a custom op nor a flex op` (ConverterError, ERROR_NEEDS_CUSTOM_OPS).
    """

    code = "TFL101"
    name = "no-tflite-kernel"
    severity = Severity.ERROR
    VALID = (
        Example("import tensorflow as tf\ny = tf.nn.max_pool2d(x, 2, 2, 'SAME')\n"),
        Example("import tensorflow as tf\ny = tf.linalg.inv(x)\n"),  # Select TF ops convert it: TFL102
        Example("import tensorflow as tf\ndef f(tf):\n    return tf.nn.fractional_max_pool(x, r)\n"),
    )
    INVALID = (
        Example("import tensorflow as tf\ny = tf.nn.fractional_max_pool(x, r)  # TFL101\n"),
        Example("from tensorflow.nn import fractional_max_pool as fmp\ny = fmp(x, r)  # TFL101\n"),
        Example("import tensorflow as tf\ns = tf.linalg.svd(x)  # TFL101\n", target="select"),
    )

    @classmethod
    def triggers(cls, knowledge):
        return failing_api_words(knowledge)

    def visit_Call(self, node: cst.Call) -> None:
        verdict = call_verdict(self, node)
        if verdict is None or verdict.on(self.ctx.target) != FAILS or verdict.status["select"] != FAILS:
            return
        self.ctx.report(
            self, node,
            f"{_described(self, node, verdict)} has no TFLite kernel ({_ops(verdict)}), not even with "
            f"Select TF ops: conversion fails. Converter: {verdict.evidence}",
            op=verdict.ops[0] if verdict.ops else None,
        )


class NeedsSelectOps(Rule):
    """An op that converts only with Select TF ops (the Flex delegate).

    ## What it does
    Reports calls whose op has no TFLite builtin kernel but is in the Select TF ops
    allowlist, e.g. `tf.linalg.inv` (MatrixInverse), `tf.strings.length` (StringLength) or
    `tf.image.resize(..., method="bicubic")` (ResizeBicubic). Under `--target builtins`,
    `int8` or `gpu` conversion fails: error. Under `--target select` it converts: warning,
    for what Select TF ops cost.

    ## Why it breaks in TFLite
    With builtins only, the converter rejects the op. With Select TF ops the model must
    ship the Flex delegate (several MB of TensorFlow kernels), which microcontrollers and
    the GPU delegate cannot run; those ops run on the CPU.

    ## Example
    ```python
    up = tf.image.resize(x, [224, 224], method="bicubic")
    ```

    ## Use instead
    ```python
    up = tf.image.resize(x, [224, 224], method="bilinear")
    ```

    ## Evidence
    TF 2.21, builtins only: `error: 'tf.ResizeBicubic' op is neither a custom op nor a
    flex op` (ERROR_NEEDS_FLEX_OPS); with `SELECT_TF_OPS` added, the same model converts.
    """

    code = "TFL102"
    name = "needs-select-tf-ops"
    severity = Severity.ERROR
    VALID = (
        Example("import tensorflow as tf\ny = tf.image.resize(x, [8, 8])\n"),
        Example("import tensorflow as tf\ny = tf.image.resize(x, [8, 8], method='nearest')\n"),
        Example("import tensorflow as tf\nclass L(tf.keras.layers.Layer):\n    def call(self, x):\n"
                "        return tf.matmul(x, tf.linalg.inv(self.kernel))\n"),  # a weight: folded at conversion
    )
    INVALID = (
        Example("import tensorflow as tf\ny = tf.image.resize(x, [8, 8], method='bicubic')  # TFL102\n"),
        Example("import tensorflow as tf\ny = tf.image.resize(x, [8, 8], tf.image.ResizeMethod.BICUBIC)  # TFL102\n"),
        Example("import tensorflow as tf\ny = tf.linalg.inv(x)  # TFL102:warning\n", target="select"),
        Example("import tensorflow.compat.v1 as tf\nn = tf.strings.length(s)  # TFL102\n"),
    )

    @classmethod
    def triggers(cls, knowledge):
        return failing_api_words(knowledge)

    def visit_Call(self, node: cst.Call) -> None:
        verdict = call_verdict(self, node)
        if verdict is None or verdict.status["select"] != CONVERTS or verdict.status["builtins"] != FAILS:
            return
        target = self.ctx.target
        what = f"{_described(self, node, verdict)} needs Select TF ops ({_ops(verdict)})"
        if target == "select":
            message = (f"{what}: the model must ship the Flex delegate (several MB), and the op runs on "
                       f"the CPU: not on microcontrollers, not on the GPU delegate")
            severity = Severity.WARNING
        else:
            message = (f"{what}: conversion fails with --target {target}; it converts with --target select "
                       f"(Flex delegate). Converter: {verdict.evidence}")
            severity = Severity.ERROR
        self.ctx.report(self, node, message, severity=severity, op=verdict.ops[0] if verdict.ops else None)


_CASTS = {"tf.cast", "tf.dtypes.cast", "tf.compat.v1.cast", "keras.ops.cast"}
_ARITHMETIC = {
    cst.Add: "AddV2", cst.Subtract: "Sub", cst.Multiply: "Mul", cst.Divide: "RealDiv",
    cst.FloorDivide: "FloorDiv", cst.Modulo: "FloorMod", cst.Power: "Pow", cst.MatrixMultiply: "MatMul",
}
_MATH_PREFIXES = ("tf.math.", "tf.linalg.", "tf.nn.", "tf.reduce_", "keras.ops.")
_MATH_NAMES = {"tf.add", "tf.subtract", "tf.multiply", "tf.divide", "tf.matmul", "tf.square", "tf.sqrt",
               "tf.exp", "tf.pow", "tf.abs", "tf.maximum", "tf.minimum", "tf.tensordot", "tf.einsum"}


class Float64Arithmetic(Rule):
    """Arithmetic on float64 tensors in model code.

    ## What it does
    Reports arithmetic (`+ - * / // % ** @`, augmented assignments and TensorFlow math
    calls) on a value cast to float64 inside model code, either directly or through a name
    assigned from the cast in the same function. Casts alone, and float64 constants that are
    folded away at conversion, are not reported: they convert.

    ## Why it breaks in TFLite
    TFLite's builtin arithmetic kernels have no float64 variants. The converter rejects
    float64 `AddV2`, `Mul`, `Sum`, ... with builtins only; with Select TF ops they run as
    TensorFlow kernels through the Flex delegate.

    ## Example
    ```python
    y = tf.cast(x, tf.float64) * 2.0
    ```

    ## Use instead
    ```python
    y = x * 2.0          # float32
    ```

    ## Evidence
    TF 2.21, builtins only: `error: 'tf.Mul' op is neither a custom op nor a flex op` for
    float64 operands; `tf.cast(tf.cast(x, tf.float64), tf.float32)` converts with builtins.
    """

    code = "TFL103"
    name = "float64-arithmetic"
    severity = Severity.ERROR
    VALID = (
        Example("import tensorflow as tf\ny = tf.cast(tf.cast(x, tf.float64), tf.float32)\n"),
        Example("import tensorflow as tf\ny = x * tf.cast(tf.constant(2.0, tf.float64), tf.float32)\n"),
        Example("import tensorflow as tf\ndef f(x):\n    y = tf.cast(x, tf.float64)\n    y = tf.cast(y, tf.float32)\n"
                "    return y * 2.0\n"),
    )
    INVALID = (
        Example("import tensorflow as tf\ny = tf.cast(x, tf.float64) * 2.0  # TFL103\n"),
        Example("import tensorflow as tf\ndef f(x):\n    d = tf.cast(x, 'float64')\n    return tf.reduce_sum(d)  # TFL103\n"),
        Example("import tensorflow as tf\ndef f(x):\n    d = tf.cast(x, dtype=tf.double)\n    d += 1.0  # TFL103\n"),
        Example("import tensorflow as tf\ny = tf.cast(x, tf.float64) + 1.0  # TFL103:warning\n", target="select"),
    )

    @classmethod
    def triggers(cls, knowledge):
        # a cast to float64, spelled `float64`, `double` or a constant the knowledge maps to them
        dtypes = {"float64", "double"}
        dtypes.update(name.rsplit(".", 1)[-1] for name, value in knowledge.constants.items() if value in dtypes)
        return [cast | {dtype} for cast in words(*_CASTS) for dtype in dtypes]

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.f64_names: dict[object, set[str]] = {}  # scope -> names holding float64 values

    def _is_f64(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Call) and self.ctx.call_name(node) in _CASTS:
            value = argument(node, "x", 0)
            return (dtype_name(self.ctx, argument(node, "dtype", 1)) == "float64"
                    and not isinstance(value, (cst.Integer, cst.Float, cst.List, cst.Tuple)))
        if isinstance(node, cst.Name):
            return node.value in self.f64_names.get(self.ctx.scope(node), ())
        if isinstance(node, cst.BinaryOperation):
            return self._is_f64(node.left) or self._is_f64(node.right)
        if isinstance(node, cst.UnaryOperation):
            return self._is_f64(node.expression)
        return False

    def _report(self, node: cst.CSTNode, what: str, op: str | None) -> None:
        if self.ctx.target == "select":
            message, severity = f"float64 {what} runs only as a Select TF op (Flex delegate)", Severity.WARNING
        else:
            message = (f"float64 {what} has no TFLite builtin kernel: conversion fails with --target "
                       f"{self.ctx.target} (converts with --target select); compute in float32")
            severity = Severity.ERROR
        self.ctx.report(self, node, message, severity=severity, op=op)

    def visit_Assign(self, node: cst.Assign) -> None:
        names = self.f64_names.setdefault(self.ctx.scope(node), set())
        f64 = self._is_f64(node.value)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                (names.add if f64 else names.discard)(target.target.value)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        op = _ARITHMETIC.get(type(node.operator))
        if op and any(self._is_f64(side) and not isinstance(side, cst.BinaryOperation)
                      for side in (node.left, node.right)):
            self._report(node, op, op)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        op = _AUG.get(type(node.operator))
        if op and self._is_f64(node.target):
            self._report(node, op, op)

    def visit_Call(self, node: cst.Call) -> None:
        name = self.ctx.call_name(node)
        if name is None or name in _CASTS:
            return
        if (name in _MATH_NAMES or name.startswith(_MATH_PREFIXES)) and any(
                self._is_f64(arg.value) and not isinstance(arg.value, cst.BinaryOperation) for arg in node.args):
            self._report(node, name, None)


_AUG = {
    cst.AddAssign: "AddV2", cst.SubtractAssign: "Sub", cst.MultiplyAssign: "Mul", cst.DivideAssign: "RealDiv",
    cst.FloorDivideAssign: "FloorDiv", cst.ModuloAssign: "FloorMod", cst.PowerAssign: "Pow",
    cst.MatrixMultiplyAssign: "MatMul",
}

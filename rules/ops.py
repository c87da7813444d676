"""TFL1xx: operators with no TFLite kernel under the target, Select-TF-only ops, float64 math."""

from __future__ import annotations

import libcst as cst

from tflint.api import (CALLBACKS, CASTS, CONVERTS, Example, FAILS, FLOAT, Rule, Severity, Verdict,
                        alternative_advice, alternatives_doc, api_triggers, argument, call_verdict, dtype_name, folded,
                        matrix_norm_names, named)


def _described(rule: Rule, call: cst.Call, verdict: Verdict) -> str:
    name = rule.ctx.call_name(call)
    return f"{name}({verdict.condition})" if verdict.condition else name


def _ops(verdict: Verdict, target: str) -> str:
    return ", ".join(verdict.culprits(target)) or "?"


def _op(verdict: Verdict, target: str) -> str | None:
    culprits = verdict.culprits(target)
    return culprits[0] if culprits else None


def _unsure(verdict: Verdict) -> str:
    """" if x is int64 (...)" where the code leaves open the input dtype that decides."""
    return f" {verdict.unsure}" if verdict.unsure else ""


def _severity(verdict: Verdict) -> Severity | None:
    """A warning where the input dtype decides and the code leaves it open; else the rule's own."""
    return Severity.WARNING if verdict.unsure else None


def _tf_op(verdict: Verdict, tflite_op: str | None) -> str | None:
    """The TF op for a TFLite op name the int8 probe reported (SIN -> Sin), else the TFLite name."""
    plain = (tflite_op or "").replace("_", "").lower()
    return next((op for op in verdict.ops if op.lower() == plain), tflite_op)


_SELECT_COST = ("the model must ship the Flex delegate (several MB of TensorFlow kernels); the op runs on "
                "the CPU only: not on the GPU delegate, not on microcontrollers")


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
        Example("""
            import tensorflow as tf
            y = tf.nn.max_pool2d(x, 2, 2, 'SAME')
        """),
        Example("""
            import tensorflow as tf
            y = tf.linalg.inv(x)
        """),  # Select TF ops convert it: TFL102
        Example("""
            import tensorflow as tf
            def f(tf):
                return tf.nn.fractional_max_pool(x, r)
        """),
        Example("""
            import tensorflow as tf
            y = tf.numpy_function(f, [x], tf.float32)
        """),  # TFL401's finding
        Example("""
            import keras
            unit = x / keras.ops.norm(x, ord=2, axis=-1, keepdims=True)
        """),  # over one axis: a vector norm, no singular values
        Example("""
            import math
            import tensorflow as tf
            def gelu(x):
                return 0.5 * x * tf.math.erfc(-x / math.sqrt(2.0))
        """),  # what tf.nn.gelu emits: fused into the builtin GELU
    )
    INVALID = (
        Example("""
            import tensorflow as tf
            y = tf.nn.fractional_max_pool(x, r)  # TFL101
        """),
        Example("""
            import math
            import tensorflow as tf
            def gelu(x):
                return 0.5 * x * tf.math.erfc(-(x / math.sqrt(2.0)))  # TFL101
        """),  # the minus outside the scaling: Erfc stays
        Example("""
            from tensorflow.nn import fractional_max_pool as fmp
            y = fmp(x, r)  # TFL101
        """),
        Example("""
            import tensorflow as tf
            s = tf.linalg.svd(x)  # TFL101
        """, target="select"),
        Example("""
            import tensorflow as tf
            n = tf.norm(m, ord=2, axis=[-2, -1])  # TFL101
        """),  # the matrix 2-norm: Svd
    )

    @classmethod
    def triggers(cls, knowledge, target):
        return api_triggers(knowledge, {"select": (FAILS,)}) + named(*matrix_norm_names(knowledge))

    @classmethod
    def data_doc(cls, knowledge):
        return alternatives_doc(knowledge, FAILS)

    def visit_Call(self, node: cst.Call) -> None:
        verdict = call_verdict(self, node)
        target = self.ctx.target
        if (verdict is None or verdict.on(target) != FAILS or verdict.status["select"] != FAILS
                or self.ctx.call_name(node) in CALLBACKS or folded(self.ctx, node)):
            return  # Python callbacks have their own rule, TFL401, with the way out
        self.report(
            node,
            f"{_described(self, node, verdict)} has no TFLite kernel ({_ops(verdict, 'select')}), not even with "
            f"Select TF ops: conversion fails{_unsure(verdict)}. Converter: "
            f"{verdict.evidence_on('select') or verdict.evidence}{alternative_advice(self, verdict)}",
            op=verdict.culprits("select"), severity=_severity(verdict),
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
    severities = {"select": Severity.WARNING}  # it converts there, at the Flex delegate's cost
    VALID = (
        Example("""
            import tensorflow as tf
            y = tf.image.resize(x, [8, 8])
        """),
        Example("""
            import tensorflow as tf
            y = tf.image.resize(x, [8, 8], method='nearest')
        """),
        Example("""
            import tensorflow as tf
            class L(tf.keras.layers.Layer):
                def call(self, x):
                    return tf.matmul(x, tf.linalg.inv(self.kernel))
        """),  # a weight: folded at conversion
        Example("""
            import math
            import tensorflow as tf
            def gelu(x):
                return 0.5 * x * (1.0 + tf.math.erf(x / math.sqrt(2.0)))
        """),  # the exact GELU: fused into the builtin GELU
        Example("""
            import keras
            ids = keras.Input((16,), dtype="int32")
            distance = keras.ops.abs(ids - 8)
        """),  # int32 Abs has a builtin kernel
        Example("""
            import keras
            x = keras.Input((3,))
            y = keras.ops.where(x > 0, x, 0.0)
        """),  # three arguments: one SELECT_V2
        Example("""
            import keras
            def first_eos(token_ids):
                return keras.ops.argmax(keras.ops.cast(token_ids == 2, "int32"), axis=-1)
        """),  # int32 argmax converts
    )
    INVALID = (
        Example("""
            import tensorflow as tf
            y = tf.image.resize(x, [8, 8], method='bicubic')  # TFL102
        """),
        Example("""
            import tensorflow as tf
            y = tf.image.resize(x, [8, 8], tf.image.ResizeMethod.BICUBIC)  # TFL102
        """),
        Example("""
            import tensorflow as tf
            y = tf.linalg.inv(x)  # TFL102:warning
        """, target="select"),
        Example("""
            import tensorflow.compat.v1 as tf
            n = tf.strings.length(s)  # TFL102
        """),
        Example("""
            import tensorflow as tf
            tf1 = tf.compat.v1
            y = tf1.matrix_inverse(x)  # TFL102
        """),
        Example("""
            from keras.src import ops
            y = ops.erf(x)  # TFL102
        """),
        Example("""
            import math
            import tensorflow as tf
            def almost_gelu(x):
                return x * (1.0 + tf.math.erf(x / math.sqrt(2.0))) / 2.0  # TFL102
        """),  # not the fused form: Erf stays
        Example("""
            import tensorflow as tf
            class Jitter(tf.keras.layers.Layer):
                def call(self, x):
                    return x + tf.image.stateless_random_flip_left_right(self.kernel, seed=(1, 2))  # TFL102
        """),  # on a weight, but random ops never fold (rules/data/routes-tf*.toml)
        Example("""
            import keras
            import tensorflow as tf
            ids = keras.Input((16,), dtype="int64")
            squares = tf.pow(ids, 2)  # TFL102
        """),  # the converter rewrites pow(x, 2) into MUL on float32 only
        Example("""
            import keras
            import tensorflow as tf
            ids = keras.Input((16,), dtype="int64")
            distance = tf.abs(ids - 8)  # TFL102
        """),  # int64 Abs has none
        Example("""
            import tensorflow as tf
            def nearest_class_distance(logits, target):
                return tf.abs(tf.argmax(logits, axis=-1) - target)  # TFL102
        """),  # tf.argmax gives int64
        Example("""
            import keras
            x = keras.Input((3,))
            y = keras.ops.where(x > 0)  # TFL102
        """),  # one argument: Where and Unpack
        Example("""
            from keras import layers, ops
            class Buckets(layers.Layer):
                def _bucket(self, rel):
                    return ops.sign(rel) * ops.abs(rel)  # TFL102
                def call(self, x):
                    ids = ops.cast(ops.arange(ops.shape(x)[1]), "int")
                    return self._bucket(ids[:, None] - ids[None, :])
        """),  # Keras's "int" is int64; the method's parameter takes what its caller passes
        Example("""
            import keras
            def pool(token_ids):
                return keras.ops.argmax(token_ids, axis=-1)  # TFL102:warning
        """),  # float32 fails, int32 converts: the dtype is not known here
        Example("""
            import tensorflow as tf
            def distance(a):
                return tf.abs(a)  # TFL102:warning
            def heads(logits, ids):
                return distance(tf.cast(ids, tf.int64)) + distance(logits)
        """),  # int64 on one path: fails if a is int64
        Example("""
            import keras
            x = keras.Input((8, 8, 8, 2))
            y = keras.layers.MaxPooling3D(pool_size=2)(x)  # TFL102
        """),
    )

    @classmethod
    def triggers(cls, knowledge, target):
        return api_triggers(knowledge, {"builtins": (FAILS,), "select": (CONVERTS,)})

    @classmethod
    def data_doc(cls, knowledge):
        return alternatives_doc(knowledge, CONVERTS)

    def visit_Call(self, node: cst.Call) -> None:
        verdict = call_verdict(self, node)
        if (verdict is None or verdict.status["select"] != CONVERTS or verdict.status["builtins"] != FAILS
                or folded(self.ctx, node)):
            return
        target = self.ctx.target
        what = f"{_described(self, node, verdict)} needs Select TF ops ({_ops(verdict, 'builtins')})"
        if target == "select":
            message = f"{what}{_unsure(verdict)}: {_SELECT_COST}{alternative_advice(self, verdict)}"
        else:
            message = (f"{what}: conversion fails with --target {target}{_unsure(verdict)}; with --target select it "
                       f"converts, but {_SELECT_COST}. Converter: {verdict.evidence_on('builtins')}"
                       f"{alternative_advice(self, verdict)}")
        self.report(node, message, op=verdict.culprits("builtins"), severity=_severity(verdict))


class NoInt8Kernel(Rule):
    """An op that converts with float builtins but has no int8 kernel (`--target int8` only).

    ## What it does
    Under `--target int8`, reports calls whose op converts with TFLite builtins in float32
    but not as full-integer int8 (`TFLITE_BUILTINS_INT8` with a representative dataset),
    e.g. `tf.math.sin` (SIN) or `tf.math.cumsum` (CUMSUM). When the converter rejects the op
    outright it is an error; when it converts but keeps the op in float32 (dequantize, float
    op, quantize) it is a warning. The verdict comes from tflint's op knowledge, which
    converted each API both ways.

    ## Why it breaks in TFLite
    Full-integer quantization needs an int8 kernel for every op. TF 2.21's converter does not
    refuse an op without one: it leaves that op in float32 between DEQUANTIZE and QUANTIZE.
    The model is then not integer-only: int8-only accelerators (Edge TPU, NPUs,
    microcontroller int8 kernels) cannot run it, or fall back to the CPU at that op, and
    each fallback costs two extra conversions.

    ## Example
    ```python
    phase = tf.math.sin(x)
    ```

    ## Use instead
    ```python
    phase = x - x * x * x / 6.0   # a polynomial of int8-capable ops, if accuracy allows
    ```

    ## Evidence
    TF 2.21, `TFLITE_BUILTINS_INT8` with a representative dataset: `tf.math.sin(x)` converts,
    and the model holds `DEQUANTIZE -> SIN (float32) -> QUANTIZE`; `tf.nn.relu(x)` becomes an
    int8 RELU.
    """

    code = "TFL104"
    name = "no-int8-kernel"
    severity = Severity.WARNING
    VALID = (
        Example("""
            import tensorflow as tf
            y = tf.math.sin(x)
        """),  # float targets: nothing to say
        Example("""
            import tensorflow as tf
            y = tf.nn.relu(x)
        """, target="int8"),
        Example("""
            import tensorflow as tf
            y = tf.linalg.inv(x)
        """, target="int8"),  # TFL102's finding
        Example("""
            import math
            import tensorflow as tf
            def gelu(x):
                return 0.5 * x * (1.0 + tf.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * tf.pow(x, 3))))
        """, target="int8"),  # the tanh GELU: fused into an int8 GELU
        Example("""
            import tensorflow as tf
            y = x * tf.math.rsqrt(tf.reduce_sum(tf.square(x), axis=-1, keepdims=True) + 1e-6)
            z = tf.square(x - y) + tf.pow(x, 2)
        """, target="int8"),  # L2_NORMALIZATION, SQUARED_DIFFERENCE and MUL have int8 kernels
    )
    INVALID = (
        Example("""
            import tensorflow as tf
            y = tf.math.sin(x)  # TFL104:warning
        """, target="int8"),
        Example("""
            import tensorflow as tf
            y = tf.pow(x, 3)  # TFL104:warning
            z = x * tf.math.rsqrt(tf.reduce_sum(tf.square(x), axis=0))  # TFL104:warning
        """, target="int8"),  # a cube alone, and a sum over the first axis: POW and SQUARE stay
        Example("""
            import tensorflow as tf
            y = tf.math.cumsum(x)  # TFL104
        """, target="int8"),
    )

    @classmethod
    def triggers(cls, knowledge, target):
        return api_triggers(knowledge, {"builtins": (CONVERTS,), "int8": (FAILS, FLOAT)}) if target == "int8" else []

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.target != "int8":
            return
        verdict = call_verdict(self, node)
        if verdict is None or verdict.status["builtins"] != CONVERTS:
            return
        status = verdict.status["int8"]
        if status not in (FAILS, FLOAT):
            return
        what = f"{_described(self, node, verdict)} has no int8 kernel ({_ops(verdict, 'int8')})"
        if status == FAILS:
            message = f"{what}: full-integer conversion fails. Converter: {verdict.evidence_on('int8')}"
            severity = Severity.ERROR
        else:
            message = (f"{what}: the converter keeps it in float32 between dequantize/quantize, so the model "
                       f"is not integer-only (int8-only accelerators and microcontrollers cannot run it)")
            severity = Severity.WARNING
        self.report(node, message, severity=severity, op=_tf_op(verdict, _op(verdict, "int8")))


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
    severities = {"select": Severity.WARNING}  # it converts there, at the Flex delegate's cost
    VALID = (
        Example("""
            import tensorflow as tf
            y = tf.cast(tf.cast(x, tf.float64), tf.float32)
        """),
        Example("""
            import tensorflow as tf
            y = x * tf.cast(tf.constant(2.0, tf.float64), tf.float32)
        """),
        Example("""
            import tensorflow as tf
            def f(x):
                y = tf.cast(x, tf.float64)
                y = tf.cast(y, tf.float32)
                return y * 2.0
        """),
    )
    INVALID = (
        Example("""
            import tensorflow as tf
            y = tf.cast(x, tf.float64) * 2.0  # TFL103
        """),
        Example("""
            import tensorflow as tf
            def f(x):
                d = tf.cast(x, 'float64')
                return tf.reduce_sum(d)  # TFL103
        """),
        Example("""
            import tensorflow as tf
            def f(x):
                d = tf.cast(x, dtype=tf.double)
                d += 1.0  # TFL103
        """),
        Example("""
            import tensorflow as tf
            y = tf.cast(x, tf.float64) + 1.0  # TFL103:warning
        """, target="select"),
    )

    @classmethod
    def triggers(cls, knowledge, target):
        # a cast to float64, spelled `float64`, `double` or a constant the knowledge maps to them
        dtypes = {"float64", "double"}
        dtypes.update(name.rsplit(".", 1)[-1] for name, value in knowledge.constants.items() if value in dtypes)
        return [trigger for dtype in dtypes for trigger in named(*CASTS, words=[dtype])]

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.f64_names: dict[object, set[str]] = {}  # scope -> names holding float64 values

    def _is_f64(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Call) and self.ctx.call_name(node) in CASTS:
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
            message = f"float64 {what} runs only as a Select TF op (Flex delegate)"
        else:
            message = (f"float64 {what} has no TFLite builtin kernel: conversion fails with --target "
                       f"{self.ctx.target} (converts with --target select); compute in float32")
        self.report(node, message, op=op)

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
        if name is None or name in CASTS:
            return
        if (name in _MATH_NAMES or name.startswith(_MATH_PREFIXES)) and any(
                self._is_f64(arg.value) and not isinstance(arg.value, cst.BinaryOperation) for arg in node.args):
            self._report(node, name, None)


_AUG = {
    cst.AddAssign: "AddV2", cst.SubtractAssign: "Sub", cst.MultiplyAssign: "Mul", cst.DivideAssign: "RealDiv",
    cst.FloorDivideAssign: "FloorDiv", cst.ModuloAssign: "FloorMod", cst.PowerAssign: "Pow",
    cst.MatrixMultiplyAssign: "MatMul",
}

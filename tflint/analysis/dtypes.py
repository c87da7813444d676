"""Static dtypes of tensors where the code fixes them: enough for the verdicts that turn on dtype
(int64 Abs and Sign have no builtin kernel; float32 ones do).

Known: a cast (`tf.cast`, `keras.ops.cast`, `.astype`; Keras 3 reads `"int"` as int64); a
`dtype=` argument (`tf.range(n, dtype=tf.int64)`, `keras.Input(..., dtype="int64")`, a
TensorSpec); `keras.Input` without one (float32); the output dtype the op knowledge recorded for
an API (`tf.argmax` gives int64, `keras.ops.argmax` int32); a name assigned only such values;
a parameter every call in the file passes one known dtype; arithmetic and indexing of one known
dtype. Anything else is unknown (None): rules then assume float32, what a Keras user gets.
"""

from __future__ import annotations

import libcst as cst

from tflint.analysis.arguments import argument, dtype_name
from tflint.analysis.calls import passed
from tflint.analysis.folding import assignments
from tflint.analysis.modelcode import binding_scope, keras_name
from tflint.context import Context

_CASTS = {"tf.cast", "tf.dtypes.cast", "tf.compat.v1.cast", "keras.ops.cast"}
_INPUTS = {"keras.Input", "keras.layers.Input"}
_KERAS_NAMES = {"int": "int64", "float": "float32"}  # keras.backend.standardize_dtype, Keras 3.15


def dtype_of(ctx: Context, node: cst.CSTNode, depth: int = 0) -> str | None:
    """The dtype of the tensor `node` evaluates to, where the code fixes it; else None."""
    if isinstance(node, cst.Call):
        return _call_dtype(ctx, node, depth)
    if isinstance(node, cst.Name):
        return _name_dtype(ctx, node, depth)
    if isinstance(node, cst.Subscript):
        return dtype_of(ctx, node.value, depth)
    if isinstance(node, cst.UnaryOperation):
        return dtype_of(ctx, node.expression, depth)
    if isinstance(node, cst.BinaryOperation):
        sides = {dtype_of(ctx, side, depth) for side in (node.left, node.right)} - {None}
        return sides.pop() if len(sides) == 1 else None
    return None


def _call_dtype(ctx: Context, call: cst.Call, depth: int) -> str | None:
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "astype":
        return _named(ctx, argument(call, "dtype", 0))
    name = keras_name(ctx.call_name(call))
    if name is None:
        return None
    if name in _CASTS:
        return _named(ctx, argument(call, "dtype", 1))
    given = _named(ctx, argument(call, "dtype", None))
    if given is not None or name in _INPUTS:
        return given or "float32"
    entry = ctx.knowledge.entry(name)
    if entry is None or not call.args:
        return None
    inputs = dtype_of(ctx, call.args[0].value, depth)
    if inputs is not None:
        return entry.out_dtype(inputs)
    # an output dtype the same for float32 and int32 inputs does not depend on them (argmax)
    outputs = {entry.out_dtype("float32"), entry.out_dtype("int32")}
    return outputs.pop() if len(outputs) == 1 else None


def _name_dtype(ctx: Context, node: cst.Name, depth: int) -> str | None:
    scope = binding_scope(ctx.scope(node), node.value)
    if scope is None:
        return None
    if scope.kind == "function" and isinstance(scope.node, cst.FunctionDef):
        given = passed(ctx, scope.node, node.value, depth, dtype_of)
        if given is not None:
            return given
    values = assignments(ctx).get((id(scope), node.value))
    if not values or None in values or depth >= 8:
        return None
    found = {dtype_of(ctx, value, depth + 1) for value in values}
    return found.pop() if len(found) == 1 else None


def _named(ctx: Context, node: cst.BaseExpression | None) -> str | None:
    name = dtype_name(ctx, node)
    return _KERAS_NAMES.get(name, name) if name is not None else None

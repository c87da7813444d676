"""Static dtypes of tensors where the code fixes them: enough for the verdicts that turn on dtype
(int64 Abs and Sign have no builtin kernel; float32 ones do).

Known: a cast (`tf.cast`, `keras.ops.cast`, `.astype`); a
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
from tflint.analysis.entry_points import keras_name
from tflint.analysis.modelcode import binding_scope
from tflint.analysis.shapes import TENSOR_INPUTS
from tflint.context import Context, analysis

CASTS = {"tf.cast", "tf.dtypes.cast", "tf.compat.v1.cast", "keras.ops.cast"}


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
    if name in CASTS:
        return _named(ctx, argument(call, "dtype", 1))
    given = _named(ctx, argument(call, "dtype", None))
    if given is not None or name in TENSOR_INPUTS:
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
    """Remembered per binding: `x = x + y` assigned many times must not multiply the work, and a
    binding met again while its own dtype is being worked out (a cycle) is unknown."""
    scope = binding_scope(ctx.scope(node), node.value)
    if scope is None:
        return None
    known = _by_binding(ctx)
    key = (id(scope), node.value)
    if key not in known:
        known[key] = None  # while in progress
        known[key] = _binding_dtype(ctx, scope, node.value, depth)
    return known[key]


def _binding_dtype(ctx: Context, scope, name: str, depth: int) -> str | None:
    if scope.kind == "function" and isinstance(scope.node, cst.FunctionDef):
        given = passed(ctx, scope.node, name, depth, dtype_of)
        if given is not None:
            return given
    values = assignments(ctx).get((id(scope), name))
    if not values or None in values:
        return None
    found = {dtype_of(ctx, value, depth) for value in values}
    return found.pop() if len(found) == 1 else None


@analysis
def _by_binding(ctx: Context) -> dict[tuple[int, str], str | None]:
    return {}


def _named(ctx: Context, node: cst.BaseExpression | None) -> str | None:
    # Keras 3 reads "int" as int64 (measured): left unknown, since the prefilter could only find
    # such files by the word `int`, which nearly every file spells
    name = dtype_name(ctx, node)
    return None if name in ("int", "float") else name

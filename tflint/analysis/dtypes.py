"""Static dtypes of tensors where the code fixes them: enough for the verdicts that turn on dtype
(int64 Abs and Sign have no builtin kernel; float32 ones do).

Known: a cast (`tf.cast`, `keras.ops.cast`, `.astype`); a `dtype=` argument (`tf.range(n,
dtype=tf.int64)`, `keras.Input(..., dtype="int64")`, a TensorSpec, another tensor's `x.dtype`);
Keras's `"int"` (int64, measured); `keras.Input` without one (float32); the output dtype the op
knowledge recorded for an API (`tf.argmax` gives int64, `keras.ops.argmax` int32); a name
assigned only such values; a parameter every call in the file passes one known dtype (a
method's `self.helper(x)` included); what a function or method of the file returns; arithmetic
and indexing of one known dtype.

Where the paths to a tensor disagree or some are unknown (a parameter one call passes int64 and
another something unknown), `dtypes_of` gives the dtypes the known paths give: the
evidence a dtype-dependent verdict needs before it warns. Anything else is unknown (None).
"""

from __future__ import annotations

from typing import FrozenSet, Optional

import libcst as cst

from tflint.analysis.arguments import argument, dtype_name, given_params
from tflint.analysis.calls import callee, parameters, passed_each
from tflint.analysis.folding import assignments, constant
from tflint.analysis.entry_points import keras_name
from tflint.analysis.modelcode import binding_scope
from tflint.analysis.reaching import reaching
from tflint.analysis.shapes import TENSOR_INPUTS
from tflint.context import Context, analysis
from tflint.knowledge import KERAS_DTYPE_STRINGS

CASTS = {"tf.cast", "tf.dtypes.cast", "tf.compat.v1.cast", "keras.ops.cast"}
_DTYPE_ARGS = ("dtype", "output_type", "out_type", "output_dtype")  # arguments naming the output dtype
_MAX_DEPTH = 6  # calls followed into returns and back to arguments
# What the paths to a tensor give: dtypes, and None where a path's dtype is unknown.
Dtypes = FrozenSet[Optional[str]]
_UNKNOWN: Dtypes = frozenset({None})


def dtype_of(ctx: Context, node: cst.CSTNode, depth: int = 0) -> str | None:
    """The dtype of the tensor `node` evaluates to, where the code fixes it; else None."""
    return fixed(_dtypes(ctx, node, depth))


def dtypes_of(ctx: Context, node: cst.CSTNode) -> Dtypes:
    """The dtypes the paths to the tensor give, None for a path whose dtype is unknown."""
    return _dtypes(ctx, node, 0)


def fixed(found: Dtypes) -> str | None:
    """The one dtype every path gives, else None."""
    return next(iter(found)) if len(found) == 1 else None


def _dtypes(ctx: Context, node: cst.CSTNode, depth: int) -> Dtypes:
    if depth > _MAX_DEPTH:
        return _UNKNOWN
    if isinstance(node, cst.Call):
        return _call_dtypes(ctx, node, depth)
    if isinstance(node, cst.Name):
        return _name_dtypes(ctx, node, depth)
    if isinstance(node, cst.Subscript):
        return _dtypes(ctx, node.value, depth)
    if isinstance(node, cst.UnaryOperation):
        return _dtypes(ctx, node.expression, depth)
    if isinstance(node, cst.BinaryOperation):
        # both operands of a TensorFlow op have one dtype (a Python number takes the tensor's): a
        # side whose dtype is known gives it
        sides = [_dtypes(ctx, side, depth) for side in (node.left, node.right)]
        known = [side for side in sides if None not in side and len(side) == 1]
        return frozenset().union(*(known or sides))
    return _UNKNOWN


def _call_dtypes(ctx: Context, call: cst.Call, depth: int) -> Dtypes:
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "astype":
        return frozenset({_named(ctx, argument(call, "dtype", 0), depth, keras=True)})
    local = callee(ctx, call)
    if local is not None:
        return _returned(ctx, local, depth)
    name = keras_name(ctx.call_name(call))
    if name is None:
        return _UNKNOWN
    is_keras = name.startswith("keras.")
    if name in CASTS:
        return frozenset({_named(ctx, argument(call, "dtype", 1), depth, is_keras)})
    given = next(filter(None, (_named(ctx, argument(call, p, None), depth, is_keras) for p in _DTYPE_ARGS)), None)
    if given is not None or name in TENSOR_INPUTS:
        return frozenset({given or "float32"})
    entry = ctx.knowledge.entry(name)
    if (entry is None or not call.args or entry.params[:1] == ("indices",)
            or any(names <= given_params(call, entry.params) for names in entry.given)):
        return _UNKNOWN  # output dtypes probed on the base call form, of the first argument's dtype
    # an output dtype the same for float32 and int32 inputs does not depend on them (argmax), where
    # the call passes no other tensor (`tf.where(c, x, y)` is x's dtype, `tf.where(c)` int64)
    outputs = {entry.out_dtype("float32"), entry.out_dtype("int32")}
    if len(outputs) == 1 and None not in outputs:
        return frozenset(outputs) if all(constant(ctx, a.value) for a in call.args[1:]) else _UNKNOWN
    return frozenset(None if d is None else entry.out_dtype(d) for d in _dtypes(ctx, call.args[0].value, depth))


def _returned(ctx: Context, func: cst.FunctionDef, depth: int) -> Dtypes:
    values = _returns(ctx).get(func)
    if not values or None in values:
        return _UNKNOWN
    return frozenset().union(*(_dtypes(ctx, value, depth + 1) for value in values))


@analysis
def _returns(ctx: Context) -> dict[cst.FunctionDef, list[cst.BaseExpression | None]]:
    """Each function of the file -> the values its own `return` statements give (None: a bare return)."""
    out: dict[cst.FunctionDef, list[cst.BaseExpression | None]] = {}
    for node in ctx.walked.of_type(cst.Return):
        func = ctx.scope(node).node
        if isinstance(func, cst.FunctionDef):
            out.setdefault(func, []).append(node.value)
    return out


def _name_dtypes(ctx: Context, node: cst.Name, depth: int) -> Dtypes:
    """What the assignment the read sees gives, where straight-line code decides it; else what all
    the binding's values give, remembered per binding: `x = x + y` assigned many times must not
    multiply the work, and a binding met again while its own dtype is being worked out (a cycle)
    is unknown."""
    scope = binding_scope(ctx.scope(node), node.value)
    if scope is None:
        return _UNKNOWN
    values = assignments(ctx).get((id(scope), node.value)) or []
    func = scope.node if scope.kind == "function" and isinstance(scope.node, cst.FunctionDef) else None
    found = _remembered(ctx, (id(scope), node.value), func, node.value, values, depth)
    if len(found) > 1 and len(values) > 1:  # the values disagree: does straight-line code pick one?
        seen = reaching(ctx, node, values, func is not None and node.value in parameters(ctx, func))
        if seen is not None:  # remembered per assignment: `x = x + x` again and again stays linear
            return _remembered(ctx, (id(scope), node.value, id(seen[0])), func, node.value, seen, depth)
    return found


def _remembered(ctx: Context, key: tuple, func: cst.FunctionDef | None, name: str, values: list, depth: int) -> Dtypes:
    known = _by_binding(ctx)
    if key not in known:
        known[key] = _UNKNOWN  # while in progress
        known[key] = _values_dtypes(ctx, func, name, values, depth)
    return known[key]


def _values_dtypes(ctx: Context, func: cst.FunctionDef | None, name: str, values: list, depth: int) -> Dtypes:
    """What `values` give (None: a binding of unseen value; for a parameter of `func`, what its calls pass)."""
    values = list(values)
    found: set[str | None] = set()
    passed = passed_each(ctx, func, name, depth, _dtypes) if func is not None else []
    if passed and None in values:
        values.remove(None)  # the parameter's own binding: the calls give its values
        found.update(d for dtypes in passed for d in (dtypes or _UNKNOWN))
    found.update(d for value in values for d in (_UNKNOWN if value is None else _dtypes(ctx, value, depth)))
    return frozenset(found) or _UNKNOWN


@analysis
def _by_binding(ctx: Context) -> dict[tuple, Dtypes]:
    return {}


def _named(ctx: Context, node: cst.BaseExpression | None, depth: int, keras: bool) -> str | None:
    """The dtype an argument names: `tf.int64`, "int64", another tensor's `x.dtype`, and for Keras
    its own strings ("int": int64)."""
    if isinstance(node, cst.Attribute) and node.attr.value == "dtype":
        return dtype_of(ctx, node.value, depth + 1)
    name = dtype_name(ctx, node)
    if name in KERAS_DTYPE_STRINGS:
        return KERAS_DTYPE_STRINGS[name] if keras else None
    return name

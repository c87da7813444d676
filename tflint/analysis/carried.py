"""Tensors a def's caller passes in, with their dynamic dimensions kept.

Whether `attention_mask[:, None, :, :]` converts turns on how many dynamic dimensions the mask
has, which a layer's own file does not say: its model, often in another file, does. When the
subscripted tensor is a parameter of the def, or is made from parameters by ops that keep every
dimension (casts, element-wise ops, comparisons, cumulative sums, reductions with `keepdims`,
sub-layers, a reshape to sizes read off a tensor), it has the dynamic dimensions of what the
caller passed; the project index then judges the finding by the inputs of the models that reach
the def (tflint/project/settle.py). Anything else (a slice, an `arange` of a length, a einsum)
is not followed: the finding stays a warning.
"""

from __future__ import annotations

import libcst as cst

from tflint.analysis.arguments import argument, literal
from tflint.analysis.calls import parameters
from tflint.analysis.entry_points import keras_name
from tflint.analysis.folding import assignments
from tflint.analysis.modelcode import binding_scope, find_method
from tflint.analysis.reach import enclosing_function
from tflint.context import Context
from tflint.walk import children

_MODULES = ("keras.ops.", "keras.ops.numpy.", "keras.ops.nn.", "keras.ops.math.", "tf.", "tf.math.", "tf.nn.")
_KEEPING = frozenset({
    "cast", "convert_to_tensor", "stop_gradient", "identity", "cumsum", "cumprod", "abs", "negative", "sign",
    "exp", "log", "sqrt", "square", "tanh", "sigmoid", "relu", "gelu", "silu", "softmax", "log_softmax", "erf",
    "cos", "sin", "floor", "ceil", "round", "clip", "clip_by_value", "equal", "not_equal", "less", "less_equal",
    "greater", "greater_equal", "logical_and", "logical_or", "logical_not", "where", "minimum", "maximum", "add",
    "subtract", "multiply", "divide", "expand_dims", "roll", "flip", "transpose"})
_REDUCING = frozenset({"all", "any", "sum", "mean", "max", "min", "prod", "reduce_all", "reduce_any", "reduce_sum",
                       "reduce_mean", "reduce_max", "reduce_min", "reduce_prod"})
_RESHAPES = frozenset({"reshape"})
_MAX_DEPTH = 8


def from_caller(ctx: Context, node: cst.BaseExpression) -> bool:
    """Whether `node` is a tensor with the dynamic dimensions of one its def's caller passed."""
    func = enclosing_function(ctx, node)
    if type(func) is not cst.FunctionDef:
        return False
    around = set()  # `mask = f(mask[:, None])` reads what mask was before the statement
    parent = ctx.parent(node)
    while parent is not None and parent is not func:
        around.add(id(parent))
        parent = ctx.parent(parent)
    return _carried(ctx, node, _Use(func, node, around), set(), 0)


class _Use:
    """The def and the place of the use: only values assigned before it count (in source order)."""

    def __init__(self, func: cst.FunctionDef, node: cst.CSTNode, around: set[int]) -> None:
        self.func = func
        self.node = node
        self.around = around
        self._order: dict[int, int] | None = None  # made the first time a name has bindings to order

    def before(self, value: cst.CSTNode) -> bool:
        if id(value) in self.around:
            return False
        if self._order is None:
            self._order = _source_order(self.func)
        order = self._order
        return order.get(id(value), len(order)) < order.get(id(self.node), len(order))


def _source_order(func: cst.FunctionDef) -> dict[int, int]:
    """Each node of the def's body -> its place in source order (pre-order; libcst's visitor cost
    3 s on tf-models-official)."""
    seen: dict[int, int] = {}
    stack: list[cst.CSTNode] = [func.body]
    while stack:
        node = stack.pop()
        seen[id(node)] = len(seen)
        stack.extend(reversed(children(node)))
    return seen


def _carried(ctx: Context, node: cst.BaseExpression, use: _Use, seen: set[str], depth: int) -> bool:
    if depth > _MAX_DEPTH:
        return False
    if isinstance(node, cst.Name):
        return _name_carried(ctx, node, use, seen, depth)
    if isinstance(node, cst.Subscript) and all(_keeps(el.slice) for el in node.slice):
        return _carried(ctx, node.value, use, seen, depth + 1)  # `x[:, None]` keeps every dimension
    if isinstance(node, cst.BinaryOperation):  # broadcasting keeps the dimensions of either operand
        return any(_carried(ctx, side, use, seen, depth + 1) for side in (node.left, node.right))
    if isinstance(node, cst.UnaryOperation):
        return _carried(ctx, node.expression, use, seen, depth + 1)
    if isinstance(node, cst.Call) and node.args:
        return _call_carries(ctx, node, use, seen, depth)
    return False


def _name_carried(ctx: Context, node: cst.Name, use: _Use, seen: set[str], depth: int) -> bool:
    scope = binding_scope(ctx.scope(node), node.value)
    if scope is None or scope.node is not use.func:
        return False
    if node.value in seen:
        return True  # `x = layer(x)`: what x was before decides
    seen = seen | {node.value}
    is_parameter = node.value in parameters(ctx, use.func)
    values = [v for v in assignments(ctx).get((id(scope), node.value)) or () if v is None or use.before(v)]
    # A parameter's own binding is recorded without a value (None), like a loop's target; only a
    # parameter's is known to come from the caller.
    bound = [v for v in values if v is not None]
    if len(bound) < len(values) - is_parameter or not (is_parameter or bound):
        return False
    return all(_carried(ctx, value, use, seen, depth + 1) for value in bound)


def _call_carries(ctx: Context, call: cst.Call, use: _Use, seen: set[str], depth: int) -> bool:
    first = call.args[0].value
    if _is_sublayer(ctx, call.func, use.func):  # `self.norm(x)`: layers keep the batch and the sequence
        return _carried(ctx, first, use, seen, depth + 1)
    op = _op_name(ctx, call)
    if op in _KEEPING:
        return any(_carried(ctx, arg.value, use, seen, depth + 1) for arg in call.args)
    if op in _REDUCING:
        return literal(ctx, argument(call, "keepdims", None)) == "True" and _carried(ctx, first, use, seen, depth + 1)
    if op in _RESHAPES:
        shape = argument(call, "shape", 1) or argument(call, "newshape", 1)
        return _sizes_read_off(shape) and _carried(ctx, first, use, seen, depth + 1)
    return False


def _op_name(ctx: Context, call: cst.Call) -> str | None:
    name = keras_name(ctx.call_name(call))
    if name is None:
        return None
    for module in _MODULES:
        if name.startswith(module) and "." not in name[len(module):]:
            return name[len(module):]
    return None


def _is_sublayer(ctx: Context, func: cst.BaseExpression, method: cst.FunctionDef) -> bool:
    """`self.name(...)` where `name` is no method of the class: an attribute set to a layer."""
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self"):
        return False
    scope = ctx.scope(method)
    return scope.kind == "class" and find_method(ctx, scope.node, func.attr.value) is None


def _keeps(index: cst.BaseSlice) -> bool:
    """An index that keeps every dimension: `:`, `...`, a new axis."""
    if isinstance(index, cst.Slice):
        return index.lower is None and index.upper is None and index.step is None
    value = index.value
    return isinstance(value, cst.Ellipsis) or isinstance(value, cst.Name) and value.value == "None"


def _sizes_read_off(shape: cst.BaseExpression | None) -> bool:
    """A new shape that is not all literal sizes (`(batch, h, w, c)` from ops.shape, or a -1) keeps
    dynamic dimensions dynamic."""
    if not isinstance(shape, (cst.Tuple, cst.List)):
        return shape is not None
    return any(not isinstance(el.value, cst.Integer) for el in shape.elements)

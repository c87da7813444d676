"""Flags a layer reads off `self` that its constructor's caller set.

`self.attention(x, x, use_causal_mask=self.use_causal_mask)` fails to convert only where the flag is
true, and the layer's own file does not say where: `self.use_causal_mask = use_causal_mask` in
`__init__(self, ..., use_causal_mask=True)` leaves it to each place that builds the layer, often
in another file. The finding carries the parameter (ConstructorFlag) and the project index reads
each construction's arguments (tflint/project/settle.py).
"""

from __future__ import annotations

import libcst as cst

from tflint.analysis.arguments import literal
from tflint.analysis.folding import assignments
from tflint.analysis.modelcode import binding_scope, methods, self_assigned
from tflint.analysis.reach import class_name, enclosing_function
from tflint.context import Context
from tflint.report.diagnostics import ConstructorFlag


def constructor_flag(ctx: Context, node: cst.BaseExpression | None) -> ConstructorFlag | None:
    """The constructor parameter `node` (`self.name`, read in a method) holds: where the class's
    `__init__` stores a parameter in it unchanged and no method assigns it otherwise."""
    if not (isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self"):
        return None
    method = enclosing_function(ctx, node)
    if type(method) is not cst.FunctionDef or ctx.scope(method).kind != "class":
        return None
    cls = ctx.scope(method).node
    qual = class_name(ctx, cls)
    init = methods(cls, {"__init__"})
    if qual is None or len(init) != 1:
        return None
    stored = self_assigned(init[0]).get(node.attr.value, [])
    elsewhere = any(node.attr.value in self_assigned(m) for m in methods(cls) if m is not init[0])
    if elsewhere or len(stored) != 1 or not isinstance(stored[0], cst.Name):
        return None
    return _parameter_flag(ctx, qual, init[0], stored[0])


def _parameter_flag(ctx: Context, qual: str, init: cst.FunctionDef, value: cst.Name) -> ConstructorFlag | None:
    """The flag for `value`, a parameter of `init` never rebound in it."""
    scope = binding_scope(ctx.scope(value), value.value)
    if scope is None or scope.node is not init or assignments(ctx).get((id(scope), value.value)) != [None]:
        return None  # not init's own name, or bound in init besides the argument
    params = init.params
    positional = [*params.posonly_params, *params.params][1:]  # self left out
    for position, param in enumerate(positional):
        if param.name.value == value.value:
            return ConstructorFlag(qual, value.value, position, _bool(ctx, param))
    for param in params.kwonly_params:
        if param.name.value == value.value:
            return ConstructorFlag(qual, value.value, None, _bool(ctx, param))
    return None  # *args or **kwargs


def _bool(ctx: Context, param: cst.Param) -> str | None:
    value = literal(ctx, param.default)
    return value if value in ("True", "False") else None

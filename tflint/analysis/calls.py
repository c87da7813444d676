"""Calls inside one file: what each local function, or custom layer's `call`, is called with.

`layer_calls` finds where a layer built in the file is called: the line the converter names
for its ops. The analyses of tensors (shapes, dtypes) follow a parameter back to the arguments every call in
the file passes for it: `Block(16)(tokens)`, `layer = Block(16); layer(tokens)`, `helper(tokens)`,
and a method's `self.helper(tokens)` inside its class; and a call back to what the function returns.
"""

from __future__ import annotations

from typing import Callable, TypeVar

import libcst as cst

from tflint.analysis.arguments import argument
from tflint.analysis.folding import assignments
from tflint.analysis.modelcode import binding_scope, find_method, local_def
from tflint.context import Context, analysis

T = TypeVar("T")
_MAX_DEPTH = 4  # calls followed back from a parameter to the tensors passed to it


def passed(ctx: Context, func: cst.FunctionDef, name: str, depth: int,
           infer: Callable[[Context, cst.CSTNode, int], T | None]) -> T | None:
    """What `infer` says of the argument every call of `func` in the file passes for its parameter
    `name`, when all calls agree; None when they do not, or there is no call."""
    found = set(passed_each(ctx, func, name, depth, infer))
    return found.pop() if len(found) == 1 else None


def passed_each(ctx: Context, func: cst.FunctionDef, name: str, depth: int,
                infer: Callable[[Context, cst.CSTNode, int], T | None]) -> list[T | None]:
    """What `infer` says of the argument each call of `func` in the file passes for its parameter
    `name` (None for a call that passes none); empty when there is no call, or too deep."""
    params = parameters(ctx, func)
    sites = _calls_of(ctx).get(func)
    if depth >= _MAX_DEPTH or name not in params or not sites:
        return []
    found = []
    for call in sites:
        arg = argument(call, name, params.index(name))
        found.append(None if arg is None else infer(ctx, arg, depth + 1))
    return found


def callee(ctx: Context, call: cst.Call) -> cst.FunctionDef | None:
    """The function defined in the file that `call` runs (a local layer's `call`), or None."""
    return _callee(ctx, call.func)


def parameters(ctx: Context, func: cst.FunctionDef) -> list[str]:
    """Its positional parameters as a caller passes them (a method's `self` left out)."""
    params = [p.name.value for p in func.params.params]
    in_class = ctx.scope(func).kind == "class"
    return params[1:] if in_class and params else params


@analysis
def _calls_of(ctx: Context) -> dict[cst.FunctionDef, list[cst.Call]]:
    """Each function or custom layer `call` defined in the file -> the calls of it in the file."""
    out: dict[cst.FunctionDef, list[cst.Call]] = {}
    for call in ctx.walked.of_type(cst.Call):
        callee = _callee(ctx, call.func)
        if callee is not None:
            out.setdefault(callee, []).append(call)
    return out


def _callee(ctx: Context, func: cst.BaseExpression) -> cst.FunctionDef | None:
    """The local function `func` names, or the `call` of the local layer class it builds."""
    if isinstance(func, cst.Call):  # Block(16)(x)
        return _layer_call(ctx, func)
    found = local_def(ctx, func)
    if isinstance(found, cst.FunctionDef):
        return found
    if isinstance(func, cst.Attribute):  # self.helper(x) in a method
        return _method_of_self(ctx, func)
    if isinstance(func, cst.Name):  # layer = Block(16); layer(x)
        scope = binding_scope(ctx.scope(func), func.value)
        values = assignments(ctx).get((id(scope), func.value)) if scope is not None else None
        if values and len(values) == 1 and isinstance(values[0], cst.Call):
            return _layer_call(ctx, values[0])
    return None


def _layer_call(ctx: Context, construction: cst.Call) -> cst.FunctionDef | None:
    """The `call` method of the local class `construction` builds an instance of."""
    cls = local_def(ctx, construction.func)
    return find_method(ctx, cls, "call") if isinstance(cls, cst.ClassDef) else None


def _method_of_self(ctx: Context, func: cst.Attribute) -> cst.FunctionDef | None:
    """The method `self.<name>` is, read in a method whose first parameter is `self`."""
    cls = _class_of_method(ctx, func)
    method = ctx.scope(func).enclosing_function()
    if cls is None or not isinstance(func.value, cst.Name) or not isinstance(method.node, cst.FunctionDef):
        return None
    params = method.node.params.params
    return find_method(ctx, cls, func.attr.value) if params and params[0].name.value == func.value.value else None


def layer_calls(ctx: Context, construction: cst.Call) -> list[cst.Call]:
    """Where the file calls the layer `construction` builds, the line the converter names for its
    ops: `Layer(...)(x)`; `name(x)` after `name = Layer(...)`; `self.name(x)` in the methods of its
    class after `self.name = Layer(...)`; through a wrapper (`Bidirectional(GRU(4))`), the
    wrapper's calls. Empty when the file calls it nowhere it can see (a Sequential list)."""
    parent = ctx.parent(construction)
    if isinstance(parent, cst.Call) and parent.func is construction:
        return [parent]
    if isinstance(parent, cst.Arg) and isinstance(ctx.parent(parent), cst.Call):
        wrapper = ctx.parent(parent)
        return layer_calls(ctx, wrapper) if wrapper.func is not construction else []
    if not isinstance(parent, cst.Assign) or len(parent.targets) != 1:
        return []
    target = parent.targets[0].target
    calls = ctx.walked.of_type(cst.Call)
    if isinstance(target, cst.Name):
        scope = ctx.scope(parent)
        return [c for c in calls if isinstance(c.func, cst.Name) and c.func.value == target.value
                and binding_scope(ctx.scope(c), target.value) is scope
                and len(assignments(ctx).get((id(scope), target.value)) or ()) == 1]
    cls = _class_of_method(ctx, parent)
    if cls is None or not (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name)):
        return []
    return [c for c in calls if isinstance(c.func, cst.Attribute) and c.func.attr.value == target.attr.value
            and isinstance(c.func.value, cst.Name) and c.func.value.value == target.value.value
            and _class_of_method(ctx, c) is cls]


def _class_of_method(ctx: Context, node: cst.CSTNode) -> cst.ClassDef | None:
    """The class whose method `node` is in (directly, not in a nested function)."""
    method = ctx.scope(node).enclosing_function()
    owner = method.parent if method is not None else None
    return owner.node if owner is not None and owner.kind == "class" else None

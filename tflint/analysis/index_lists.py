"""Indices kept in a list: `tensor[indices]` after `indices = [...]`.

TensorFlow reads a list index as the tuple of its entries, so `indices = [slice(None), None]` then
`x[indices]` is `x[:, None]`. Code that aligns a tensor to another's rank builds such a list at run
time: `indices = [None] * ndim`, then `indices[i] = slice(None)` for some axes. What is in the list
is then known only in part: it holds new axes, and which entries they are is set at run time,
unless the axes are a literal list (in the def, or passed the same by every call of it in the file):
then the slices sit at those axes, counted from either end, and new axes between them.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from tflint.analysis.calls import parameters, passed
from tflint.analysis.folding import assignments
from tflint.analysis.modelcode import binding_scope
from tflint.analysis.reach import enclosing_function
from tflint.context import Context
from tflint.walk import children


@dataclass(frozen=True)
class IndexList:
    name: str
    list: cst.List  # the literal bound to the name
    elements: tuple[cst.BaseExpression, ...]  # the entries the list is made of
    fixed: bool  # the entries are the list's, in order; False: repeated (`[None] * n`) or changed later
    sliced: tuple[int, ...] | None = None  # `[None] * n` with slice(None) set at these axes by a loop; n not known


def index_list(ctx: Context, index: cst.BaseExpression) -> IndexList | None:
    """The list the name `index` is, where its def binds the name once, to a list literal or a
    repeated one (`[None] * n`). `tensor[tuple(indices)]` is left out: code that aligns ranks writes
    it for JAX only, beside the list TensorFlow reads."""
    if not isinstance(index, cst.Name):
        return None
    func = enclosing_function(ctx, index)
    scope = binding_scope(ctx.scope(index), index.value)
    if type(func) is not cst.FunctionDef or scope is None or scope.node is not func:
        return None
    values = assignments(ctx).get((id(scope), index.value)) or []
    if len(values) != 1 or type(ctx.parent(values[0])) is not cst.Assign:  # `name = [...]`, as the prefilter sees
        return None
    value = values[0]
    repeated = isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Multiply)
    if repeated:
        value = value.left if isinstance(value.left, cst.List) else value.right
    if not isinstance(value, cst.List):
        return None
    elements = tuple(el.value for el in value.elements)
    starred = any(isinstance(el, cst.StarredElement) for el in value.elements)
    changes = _changes(func, index.value)
    sliced = _sliced(ctx, func, index, changes) \
        if repeated and all(_is_none(el) for el in elements) and elements else None
    return IndexList(index.value, value, elements, not repeated and not starred and not changes, sliced)


def _changes(func: cst.FunctionDef, name: str) -> list[cst.CSTNode]:
    """Where the def may change the list in place: each `name[...]` (`indices[i] = slice(None)`) or
    `name.method` (`indices.append(None)`) in it."""
    found = []
    stack: list[cst.CSTNode] = [func.body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Subscript, cst.Attribute)) and isinstance(node.value, cst.Name) \
                and node.value.value == name:
            found.append(node)
        stack.extend(children(node))
    return found


def _sliced(ctx: Context, func: cst.FunctionDef, use: cst.Name, changes: list[cst.CSTNode]) -> tuple[int, ...] | None:
    """The axes of `for i in axes: name[i] = slice(None)`, a statement of the def's own body before
    the one `use` is in and the list's one change, where the axes are a literal list of integers."""
    statement = use
    while ctx.parent(statement) is not func.body:
        statement = ctx.parent(statement)
    before = func.body.body[:func.body.body.index(statement)]
    loop = next((s for s in before if isinstance(s, cst.For) and _sets_slices(s, use.value)), None)
    if loop is None or len(changes) != 1 or changes[0] is not loop.body.body[0].body[0].targets[0].target:
        return None
    axes = loop.iter
    if isinstance(axes, cst.Name) and axes.value in parameters(ctx, func) \
            and (assignments(ctx).get((id(ctx.scope(axes)), axes.value)) or [None]) == [None]:
        return passed(ctx, func, axes.value, 0, lambda _ctx, arg, _depth: _integers(arg))
    return _integers(axes)


def _sets_slices(loop: cst.For, name: str) -> bool:
    """`for i in ...: name[i] = slice(None)`, nothing else in the loop, no `else`."""
    body = loop.body.body
    if loop.orelse is not None or not isinstance(loop.target, cst.Name) or len(body) != 1 \
            or not isinstance(body[0], cst.SimpleStatementLine) or len(body[0].body) != 1:
        return False
    assign = body[0].body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return False
    target, value = assign.targets[0].target, assign.value
    return (isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name) and target.value.value == name
            and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index)
            and isinstance(target.slice[0].slice.value, cst.Name)
            and target.slice[0].slice.value.value == loop.target.value
            and isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "slice"
            and len(value.args) == 1 and _is_none(value.args[0].value))


def _integers(node: cst.BaseExpression) -> tuple[int, ...] | None:
    """`[0, 1, -1]` (or a tuple of them) -> (0, 1, -1); None for anything else or a repeated axis."""
    if not isinstance(node, (cst.List, cst.Tuple)) or not node.elements:
        return None
    out = []
    for el in node.elements:
        value, sign = el.value, 1
        if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
            value, sign = value.expression, -1
        if not isinstance(value, cst.Integer) or isinstance(el, cst.StarredElement):
            return None
        out.append(sign * int(value.evaluated_value))
    return tuple(out) if len(set(out)) == len(out) else None


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"

"""Indices kept in a list: `tensor[indices]` (or `tensor[tuple(indices)]`) after `indices = [...]`.

TensorFlow reads a list index as the tuple of its entries, so `indices = [slice(None), None]` then
`x[indices]` is `x[:, None]`. Code that aligns a tensor to another's rank builds such a list at run
time: `indices = [None] * ndim`, then `indices[i] = slice(None)` for some axes. What is in the list
is then known only in part: it holds new axes, and which entries they are is set at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from tflint.analysis.folding import assignments
from tflint.analysis.modelcode import binding_scope
from tflint.analysis.reach import enclosing_function
from tflint.context import Context
from tflint.walk import children


@dataclass(frozen=True)
class IndexList:
    name: str
    elements: tuple[cst.BaseExpression, ...]  # the entries the list is made of
    fixed: bool  # the entries are the list's, in order; False: repeated (`[None] * n`) or changed later


def index_list(ctx: Context, index: cst.BaseExpression) -> IndexList | None:
    """The list `index` (`indices` or `tuple(indices)`) names, where its def binds the name once, to
    a list literal or a repeated one (`[None] * n`)."""
    if isinstance(index, cst.Call) and isinstance(index.func, cst.Name) and index.func.value == "tuple" \
            and len(index.args) == 1 and not index.args[0].star:
        index = index.args[0].value
    if not isinstance(index, cst.Name):
        return None
    func = enclosing_function(ctx, index)
    scope = binding_scope(ctx.scope(index), index.value)
    if type(func) is not cst.FunctionDef or scope is None or scope.node is not func:
        return None
    values = assignments(ctx).get((id(scope), index.value)) or []
    if len(values) != 1:
        return None
    value = values[0]
    repeated = isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Multiply)
    if repeated:
        value = value.left if isinstance(value.left, cst.List) else value.right
    if not isinstance(value, cst.List):
        return None
    starred = any(isinstance(el, cst.StarredElement) for el in value.elements)
    fixed = not repeated and not starred and not _changed(func, index.value)
    return IndexList(index.value, tuple(el.value for el in value.elements), fixed)


def _changed(func: cst.FunctionDef, name: str) -> bool:
    """Whether the def may change the list in place: any `name[...]` (`indices[i] = slice(None)`) or
    `name.method` (`indices.append(None)`) in it."""
    stack: list[cst.CSTNode] = [func.body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Subscript, cst.Attribute)) and isinstance(node.value, cst.Name) \
                and node.value.value == name:
            return True
        stack.extend(children(node))
    return False

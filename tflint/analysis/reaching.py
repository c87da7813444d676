"""Which assignment a read of a name sees, where straight-line code decides it.

`ids = ops.arange(n)` then `ids = ops.cast(ids, "int")`: a read after both sees the cast only.
Decided when every assignment of the name sits directly in a block around the read (none
inside an `if` or loop body the read is not in): the last one before the read wins. A name
assigned after the read inside a loop around it, or in a nested block, is left undecided (None).
"""

from __future__ import annotations

import libcst as cst

from tflint.context import Context

_SUITES = (cst.IndentedBlock, cst.Module, cst.SimpleStatementSuite)
_ASSIGNS = (cst.Assign, cst.AnnAssign, cst.AugAssign)
_LOOPS = (cst.For, cst.While)
_PARAMETER = object()  # a parameter's binding: before every statement of its function


def reaching(ctx: Context, read: cst.Name, values: list[cst.CSTNode | None], parameter: bool) -> list | None:
    """The one value of `values` (the name's assignments in its scope, None for a binding of unseen
    value; `parameter`: one None is the function's parameter) that the read sees, as a list of one
    (`[None]` for the parameter); None when straight-line code does not decide it."""
    blocks = _blocks_around(ctx, read)  # suite -> index of the read's statement in it
    best, best_rank, after = None, None, False
    unseen = sum(v is None for v in values)
    if unseen > int(parameter):
        return None
    for value in values:
        if value is None:
            rank = (-1, -1)
        else:
            place = _place(ctx, value)
            if place is None or place[0] not in blocks:
                return None  # in a nested block, or not a plain assignment
            depth, read_at = blocks[place[0]]
            if place[1] >= read_at:
                after = True
                continue
            rank = (depth, place[1])
        if best_rank is None or rank > best_rank:
            best, best_rank = value, rank
    if best_rank is None or after and _in_loop(ctx, read):
        return None
    return [best]


def _place(ctx: Context, value: cst.CSTNode) -> tuple[cst.CSTNode, int] | None:
    """The suite of the assignment statement `value` is assigned by, and its index there."""
    assign = ctx.parent(value)
    line = ctx.parent(assign) if isinstance(assign, _ASSIGNS) else None
    suite = ctx.parent(line) if isinstance(line, cst.SimpleStatementLine) else None
    if not isinstance(suite, _SUITES):
        return None
    return suite, suite.body.index(line)


def _blocks_around(ctx: Context, node: cst.CSTNode) -> dict[cst.CSTNode, tuple[int, int]]:
    """Each suite around `node` up to its function -> (its depth, the index of the statement
    holding `node` in it)."""
    chain = []
    child, parent = node, ctx.parent(node)
    while parent is not None and not isinstance(child, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
        if isinstance(parent, _SUITES):
            chain.append((parent, parent.body.index(child)))
        child, parent = parent, ctx.parent(parent)
    return {suite: (len(chain) - i, index) for i, (suite, index) in enumerate(chain)}


def _in_loop(ctx: Context, node: cst.CSTNode) -> bool:
    parent = ctx.parent(node)
    while parent is not None and not isinstance(parent, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
        if isinstance(parent, _LOOPS):
            return True
        parent = ctx.parent(parent)
    return False

"""Composites the converter fuses into one builtin op: their parts never reach the model.

Measured with TF 2.21, builtins (tests/converter/test_rule_evidence_ops.py): the exact GELU
written out, `0.5 * x * (1 + erf(x / sqrt(2)))` (also `x * 0.5 * ...`, `erf(x * 0.7071...)`,
`tf.sqrt(2.0)`, `keras.ops.erf`), becomes one GELU and converts; `erf(x)` alone, `1 + erf(x)`,
`x * (1 + erf(x / sqrt(2))) / 2` and a product with another tensor keep Erf and fail.
"""

from __future__ import annotations

import libcst as cst

from tflint.analysis.arguments import argument
from tflint.analysis.folding import constant
from tflint.context import Context


def fused(ctx: Context, call: cst.Call) -> bool:
    """Whether the converter fuses `call` away: the erf of an exact GELU."""
    name = ctx.call_name(call) or ""
    if not (name.startswith(("tf.", "keras.ops.")) and name.rsplit(".", 1)[-1] == "erf"):
        return False
    scaled = argument(call, "x", 0)
    if not (isinstance(scaled, cst.BinaryOperation) and isinstance(scaled.operator, (cst.Divide, cst.Multiply))
            and constant(ctx, scaled.right)):
        return False
    one_plus = ctx.parent(call)
    if not (isinstance(one_plus, cst.BinaryOperation) and isinstance(one_plus.operator, cst.Add)
            and _is_one(one_plus.right if one_plus.left is call else one_plus.left)):
        return False
    product = ctx.parent(one_plus)
    if not (isinstance(product, cst.BinaryOperation) and isinstance(product.operator, cst.Multiply)):
        return False
    half_x = product.left if product.right is one_plus else product.right
    return _is_half_of(half_x, scaled.left)


def _is_half_of(node: cst.CSTNode, x: cst.CSTNode) -> bool:
    """`0.5 * x` or `x * 0.5`."""
    if not (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Multiply)):
        return False
    sides = (node.left, node.right)
    return any(_is_number(a, 0.5) and b.deep_equals(x) for a, b in (sides, sides[::-1]))


def _is_one(node: cst.CSTNode) -> bool:
    return _is_number(node, 1.0)


def _is_number(node: cst.CSTNode, value: float) -> bool:
    return isinstance(node, (cst.Integer, cst.Float)) and float(node.evaluated_value) == value

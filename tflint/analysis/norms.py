"""Which norm a `norm` call computes, where its `ord` verdict depends on it.

The op knowledge probed `keras.ops.norm(x, ord=...)` on a matrix with no axis, a matrix norm:
ord 2, -2 and "nuc" take singular values (Svd, which no target converts). It probed `tf.norm` on
a 4-D tensor with no axis, a vector norm: no ord changes its verdict there. Measured with TF 2.21
on a `[None, 5, 5]` input (tests/converter/test_rule_evidence_norms.py):
- over one axis (`axis=-1`) both are vector norms and convert, ord=2 included;
- over two axes, `keras.ops.norm` with ord 2, -2 or "nuc" fails on Svd under builtins and select,
  and so does `tf.norm(x, ord=2, axis=[-2, -1])` (under builtins the converter stops first on the
  TensorListReserve of its loop); ord 1, inf and "fro" over two axes convert.
"""

from __future__ import annotations

import dataclasses
from typing import Mapping

import libcst as cst

from tflint.analysis.arguments import argument
from tflint.knowledge import Entry, Knowledge, Verdict

_MATRIX_PROBED = "keras.ops.norm"  # its `ord` verdicts were measured on a matrix norm
_TF_NORMS = {"tf.norm", "tf.compat.v1.linalg.norm"}
_TF_MATRIX_ORDS = {"2"}  # tf.norm's matrix ords that take singular values (it rejects -2 and "nuc")


def norm_verdict(knowledge: Knowledge, entry: Entry, call: cst.Call, args: Mapping[str, str]) -> Verdict | None:
    """The verdict of a norm call whose axes decide between the vector and the matrix norm; None
    where they do not (not a norm, another ord, axes not written as literals)."""
    if entry.api != _MATRIX_PROBED and entry.api not in _TF_NORMS:
        return None
    ord_, axes = args.get("ord"), _axes(argument(call, "axis", 2))
    if entry.api == _MATRIX_PROBED and ord_ in entry.when.get("ord", {}) and axes == 1:
        return entry.verdict({k: v for k, v in args.items() if k != "ord"})  # a vector norm
    if entry.api in _TF_NORMS and ord_ in _TF_MATRIX_ORDS and axes == 2:
        matrix = knowledge.entry(_MATRIX_PROBED).when["ord"][ord_]
        return dataclasses.replace(matrix, api=entry.api, condition=f"ord={ord_} over two axes")
    return None


def _axes(node: cst.BaseExpression | None) -> int | None:
    """How many axes a literal `axis` names: 1 for `-1`, 2 for `[-2, -1]`; None otherwise."""
    if isinstance(node, cst.Integer) or isinstance(node, cst.UnaryOperation) and isinstance(node.expression, cst.Integer):
        return 1
    if isinstance(node, (cst.List, cst.Tuple)):
        return len(node.elements)
    return None


def matrix_norm_names(knowledge: Knowledge) -> list[str]:
    """Every name of the norms whose matrix form this module finds failing (for the prefilter)."""
    entries = [knowledge.entry(api) for api in _TF_NORMS]
    return [name for e in entries if e is not None for name in (e.api, *e.aliases)]

"""Qualified names of expressions, resolved through imports and scopes.

`tf.nn.relu`, `nn.relu` after `from tensorflow import nn`, and `relu` after
`from tensorflow.nn import relu` all resolve to `tf.nn.relu`: TensorFlow names are spelled
with the `tf.` prefix and Keras names with `keras.` (tf.keras is Keras 3 in TF 2.16+).
A name that any local binding can shadow resolves to nothing: a linter that guesses here
raises false alarms.
"""

from __future__ import annotations

import libcst as cst

from tflint.analysis.entry_points import canonical
from tflint.walk import ALIAS, IMPORTED, Scope

_MAX_ALIAS_DEPTH = 8  # aliases of aliases; a cycle (`a = a.b`) resolves to nothing


def resolve(node: cst.CSTNode, scope: Scope) -> str | None:
    """The canonical qualified name of a Name or Attribute chain, or None."""
    attrs: list[str] = []
    while isinstance(node, cst.Attribute):
        attrs.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    base = _resolve_name(node.value, scope)
    if base is None:
        return None
    return ".".join([base, *reversed(attrs)])


def _resolve_name(name: str, scope: Scope, depth: int = 0) -> str | None:
    owner = scope.owner(name)
    if owner is None:
        return None
    bindings = owner.bindings[name]
    if len(bindings) == 1 and bindings[0][0] == ALIAS:  # `tf1 = tf.compat.v1`, resolved where it was made
        root, _, rest = bindings[0][1].partition(".")
        base = _resolve_name(root, owner, depth + 1) if depth < _MAX_ALIAS_DEPTH else None
        return None if base is None else ".".join(filter(None, (base, rest)))
    targets = {canonical(target) for kind, target in bindings if kind == IMPORTED and target}
    if len(targets) != 1 or any(kind != IMPORTED for kind, _ in bindings):
        return None
    return targets.pop()

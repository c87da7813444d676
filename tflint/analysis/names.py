"""Qualified names of expressions, resolved through imports and scopes.

`tf.nn.relu`, `nn.relu` after `from tensorflow import nn`, and `relu` after
`from tensorflow.nn import relu` all resolve to `tf.nn.relu`: TensorFlow names are spelled
with the `tf.` prefix and Keras names with `keras.` (tf.keras is Keras 3 in TF 2.16+).
A name that any local binding can shadow resolves to nothing: a linter that guesses here
raises false alarms.
"""

from __future__ import annotations

import libcst as cst

from tflint.walk import IMPORTED, Scope

_PREFIXES = (
    ("tensorflow.keras.", "keras."),
    ("tensorflow.", "tf."),
)
_EXACT = {"tensorflow": "tf", "tensorflow.keras": "keras"}


def canonical(dotted: str) -> str:
    """`tensorflow.nn.relu` -> `tf.nn.relu`; `tensorflow.keras.layers` -> `keras.layers`."""
    if dotted in _EXACT:
        return _EXACT[dotted]
    for prefix, replacement in _PREFIXES:
        if dotted.startswith(prefix):
            return replacement + dotted[len(prefix):]
    return dotted


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


def _resolve_name(name: str, scope: Scope) -> str | None:
    bindings = scope.lookup(name)
    if not bindings:
        return None
    targets = {canonical(target) for kind, target in bindings if kind == IMPORTED and target}
    if len(targets) != 1 or any(kind != IMPORTED for kind, _ in bindings):
        return None
    return targets.pop()

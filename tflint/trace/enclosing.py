"""Which function of the user's file a line belongs to (the parent side, with `ast` only).

A converter failure that names no op the static rules know (e.g. `tf.Identity` failing to
legalize when a TensorArray cannot be lowered) is placed on the loop or call that carries
it, not on the construct the static rule flagged; both sit in the same function.
"""

from __future__ import annotations

import ast


def function_of(tree: ast.Module | None, line: int) -> tuple[int, int] | None:
    """(first, last) line of the innermost def containing `line`, or None at module level."""
    if tree is None:
        return None
    best = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.lineno <= line <= node.end_lineno:
            if best is None or node.lineno >= best[0]:
                best = (node.lineno, node.end_lineno)
    return best


def parse_file(path: str) -> ast.Module | None:
    try:
        with open(path, "rb") as f:
            return ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return None

"""The line of the user's file that builds each Keras layer of a model (in the worker).

Keras does not record where a layer was made, so the file is read: a call passing
`name="expact"` builds the layer named `expact`; a Lambda's function was written on its own
line; a layer of a class the file defines is placed at the class. Other layers (auto-named
builtins) are matched to the file's calls of their class in order, when the counts agree.
"""

from __future__ import annotations

import ast
import inspect
import os
import sys


def layer_lines(keras_model, user_file: str) -> dict[str, int]:
    """Layer name -> line in `user_file`, for the layers that can be placed."""
    try:
        with open(user_file, encoding="utf-8") as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return {}
    user_file = os.path.realpath(user_file)
    named, by_class = _calls(tree)
    layers = list(keras_model._flatten_layers(include_self=False))
    lines: dict[str, int] = {}
    unplaced: dict[str, list] = {}
    for layer in layers:
        line = named.get(layer.name) or _own_code_line(layer, user_file)
        if line:
            lines[layer.name] = line
        else:
            unplaced.setdefault(type(layer).__name__, []).append(layer)
    for cls, same in unplaced.items():
        calls = [line for line in by_class.get(cls, ()) if line not in lines.values()]
        if len(calls) == len(same):
            lines.update({layer.name: line for layer, line in zip(same, calls)})
    return lines


def _calls(tree: ast.Module) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Calls with a constant `name=` keyword, and calls without one by the called class's name."""
    named: dict[str, int] = {}
    by_class: dict[str, list[int]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = next((k.value.value for k in node.keywords if k.arg == "name" and isinstance(k.value, ast.Constant)
                     and isinstance(k.value.value, str)), None)
        if name:
            named.setdefault(name, node.lineno)
        else:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
            if called:
                by_class.setdefault(called, []).append(node.lineno)
    for lines in by_class.values():
        lines.sort()
    return named, by_class


def _own_code_line(layer, user_file: str) -> int | None:
    """A Lambda's function, or the class of a custom layer, when the user's file holds it."""
    code = getattr(getattr(layer, "function", None), "__code__", None)
    if code is not None and os.path.realpath(code.co_filename) == user_file:
        return code.co_firstlineno
    module = sys.modules.get(type(layer).__module__)
    if module is not None and os.path.realpath(getattr(module, "__file__", "") or "") == user_file:
        try:
            return inspect.getsourcelines(type(layer))[1]
        except (OSError, TypeError):
            return None
    return None

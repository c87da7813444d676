"""Find the models an imported file defines (runs in the worker, with TensorFlow imported).

A model is a module-level `@tf.function` with a complete `input_signature`, a `tf.Module`
exposing such functions, a `keras.Model` instance, or what a zero-argument factory
(`build_model`, `create_model`, `make_model`, `get_model`) returns. Factories are called
only when the file binds no model itself, so a model is never built twice. `--entry NAME`
names the objects to trace instead.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

import keras
import tensorflow as tf

FACTORIES = ("build_model", "create_model", "make_model", "get_model")


class NoModel(Exception):
    """A named entry is missing or is not something tflint can trace."""


@dataclass
class Model:
    """One thing to convert: a Keras model, or a tf.function with the object that owns it."""

    name: str
    line: int  # where the file binds it: the model's definition line
    kind: str  # "keras" | "function"
    obj: Any
    specs: list[tf.TensorSpec] = field(default_factory=list)
    owner: Any = None  # the trackable a function belongs to (tf.Module), if any
    structure: Any = None  # a Keras model's inputs as it is called: one tensor, a list, a dict, nested
    home: dict = field(default_factory=dict)  # the namespace of the file that defines it (its sample inputs)


def definition_lines(source: str) -> dict[str, int]:
    """Line of each module-level binding (assignment, def, class) in the file."""
    lines: dict[str, int] = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            lines.setdefault(node.name, node.lineno)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        lines.setdefault(name.id, node.lineno)
    return lines


def find_models(module: ModuleType, source: str, entries: tuple[str, ...]) -> list[Model]:
    models = _find(module, source, entries)
    for model in models:
        model.home = vars(module)
    return models


def _find(module: ModuleType, source: str, entries: tuple[str, ...]) -> list[Model]:
    lines = definition_lines(source)
    if entries:
        return [m for name in entries for m in _entry(module, name, lines)]
    found = [m for name, line in lines.items() if name in vars(module)
             for m in _classify(name, line, vars(module)[name], call_factory=False)]
    if found:
        return found
    return [m for name in FACTORIES if callable(vars(module).get(name))
            for m in _classify(name, lines.get(name, 1), vars(module)[name], call_factory=True)]


def _entry(module: ModuleType, name: str, lines: dict[str, int]) -> list[Model]:
    if name not in vars(module):
        raise NoModel(f"--entry {name}: the file defines no {name!r}")
    models = _classify(name, lines.get(name, 1), vars(module)[name], call_factory=True)
    if not models:
        raise NoModel(f"--entry {name}: not a keras.Model, tf.Module, tf.function with an input_signature, "
                      f"or a zero-argument function returning one")
    return models


def _classify(name: str, line: int, obj: Any, call_factory: bool) -> list[Model]:
    if isinstance(obj, keras.Model):
        return [Model(name, line, "keras", obj)]
    if _is_tf_function(obj):
        return [Model(name, line, "function", obj, _full_signature(obj))] if _full_signature(obj) else []
    if isinstance(obj, tf.Module):
        return [Model(f"{name}.{attr}", line, "function", fn, _full_signature(fn), owner=obj)
                for attr, fn in _module_functions(obj)]
    if call_factory and inspect.isfunction(obj) and _takes_no_arguments(obj):
        return _classify(name, line, obj(), call_factory=False)
    return []


def _is_tf_function(obj: Any) -> bool:
    return isinstance(obj, tf.types.experimental.PolymorphicFunction)


def _full_signature(fn: Any) -> list[tf.TensorSpec] | None:
    signature = getattr(fn, "input_signature", None)
    if not signature or not all(isinstance(s, tf.TensorSpec) for s in tf.nest.flatten(signature)):
        return None
    return list(signature)


def _module_functions(obj: tf.Module) -> list[tuple[str, Callable]]:
    """The tf.Module's methods that are tf.functions with a complete signature, `__call__` first."""
    names = sorted((n for n in dir(type(obj)) if _is_tf_function(inspect.getattr_static(obj, n, None))),
                   key=lambda n: (n != "__call__", n))
    return [(n, getattr(obj, n)) for n in names if _full_signature(getattr(obj, n))]


def _takes_no_arguments(fn: Callable) -> bool:
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in inspect.signature(fn).parameters.values())

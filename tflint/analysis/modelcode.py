"""What a file defines for its model: local functions and classes, and its custom Keras classes.

Shared by the reach analysis and the Keras rules. Results are cached on the Context, so a
file pays for them once, and only when a rule or the reach analysis asks.
"""

from __future__ import annotations

import ast
import functools
from typing import TYPE_CHECKING

import libcst as cst

from tflint.analysis.arguments import argument, literal
from tflint.analysis.entry_points import INPUTS, LAYER, MODEL, MODULE, TRAINING, keras_name, kind_of_base
from tflint.context import Context, analysis
from tflint.walk import Scope, children

if TYPE_CHECKING:
    from tflint.source.prefilter import FileFacts

def fixed_batch_input(ctx: Context, call: cst.Call) -> bool:
    """Whether `call` is a keras.Input(...) that fixes the batch size to a literal integer."""
    if keras_name(ctx.call_name(call)) not in INPUTS:
        return False
    batch = literal(ctx, argument(call, "batch_size", None))
    if batch is not None and batch.isdigit():
        return True
    shape = argument(call, "batch_shape", None)
    return (isinstance(shape, (cst.Tuple, cst.List)) and bool(shape.elements)
            and isinstance(shape.elements[0].value, cst.Integer))


@analysis
def _defs(ctx: Context) -> dict[tuple[int, str], cst.FunctionDef | cst.ClassDef]:
    return {(id(ctx.scope(node)), node.name.value): node for node in ctx.walked.of_type(cst.FunctionDef, cst.ClassDef)}


def local_def(ctx: Context, node: cst.CSTNode) -> cst.FunctionDef | cst.ClassDef | None:
    """The def or class a bare name refers to, by Python's scoping rules."""
    if not isinstance(node, cst.Name):
        return None
    scope = binding_scope(ctx.scope(node), node.value)
    return None if scope is None else _defs(ctx).get((id(scope), node.value))


def binding_scope(scope: Scope | None, name: str) -> Scope | None:
    """The scope whose binding of `name` a read in `scope` sees (Python's rules), or None."""
    return None if scope is None else scope.owner(name)


def methods(cls: cst.ClassDef, names: set[str] | None = None) -> list[cst.FunctionDef]:
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    return [s for s in body if isinstance(s, cst.FunctionDef) and (names is None or s.name.value in names)]


def self_assigned(method: cst.FunctionDef) -> dict[str, list[cst.BaseExpression | None]]:
    """`self.x = value` in the method's body (not in nested defs): x -> the values (None: augmented)."""
    found: dict[str, list[cst.BaseExpression | None]] = {}
    todo: list[cst.CSTNode] = [method.body]
    while todo:
        node = todo.pop()
        if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            value = node.value if isinstance(node, cst.Assign) and len(targets) == 1 else None
            for target in targets:
                if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) \
                        and target.value.value == "self":
                    found.setdefault(target.attr.value, []).append(value)
        elif not isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            todo.extend(children(node))
    return found


def built_from(ctx: Context, func: cst.BaseExpression) -> str | None:
    """The qualified name of the class whose instance `func` calls, where one construction builds it:
    `MultiHeadAttention(...)(x)`, `mha = MultiHeadAttention(...); mha(x)`, `self.mha(x)` with
    `self.mha = MultiHeadAttention(...)` in the class's `__init__` or `build`."""
    if isinstance(func, cst.Call):
        return keras_name(ctx.call_name(func))
    values: list = []
    if isinstance(func, cst.Name):
        scope = binding_scope(ctx.scope(func), func.value)
        from tflint.analysis.folding import assignments  # folding imports this module

        values = assignments(ctx).get((id(scope), func.value), []) if scope is not None else []
    elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
        method = ctx.parent(func)
        while method is not None and type(method) is not cst.FunctionDef:
            method = ctx.parent(method)
        scope = ctx.scope(method) if method is not None else None
        if scope is not None and scope.kind == "class":
            values = [v for setup in methods(scope.node, {"__init__", "build"})
                      for v in self_assigned(setup).get(func.attr.value, [])]
    names = {keras_name(ctx.call_name(v)) if isinstance(v, cst.Call) else None for v in values}
    return names.pop() if len(names) == 1 else None


def local_bases(ctx: Context, cls: cst.ClassDef) -> list[cst.ClassDef]:
    return [b for b in (local_def(ctx, base.value) for base in cls.bases) if isinstance(b, cst.ClassDef)]


def find_method(ctx: Context, cls: cst.ClassDef, name: str) -> cst.FunctionDef | None:
    """`name` defined in `cls` or in a base class defined in the same file (breadth first).

    Remembered per file: up a chain of single local bases each class's answer is its base's, so
    a file of classes deriving from each other costs one walk up the chain, not one per class.
    """
    memo = _methods_found(ctx)
    chain: dict[cst.ClassDef, None] = {}  # the classes walked up, in order
    current = cls
    while (current, name) not in memo:
        own = methods(current, {name})
        bases = local_bases(ctx, current)
        if own or len(bases) != 1 or current in chain:  # found, no local base, several, or a cycle
            memo[(current, name)] = own[0] if own else _breadth_first(ctx, current, name) if bases else None
            break
        chain[current] = None
        current = bases[0]
    for link in chain:
        memo[(link, name)] = memo[(current, name)]
    return memo[(cls, name)]


@analysis
def _methods_found(ctx: Context) -> dict[tuple[cst.ClassDef, str], cst.FunctionDef | None]:
    return {}


def _breadth_first(ctx: Context, cls: cst.ClassDef, name: str) -> cst.FunctionDef | None:
    todo, seen = [cls], set()
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.add(current)
        found = methods(current, {name})
        if found:
            return found[0]
        todo.extend(local_bases(ctx, current))
    return None


@analysis
def keras_classes(ctx: Context) -> dict[cst.ClassDef, str]:
    """Custom Keras Layer/Model, tf.Module and Keras metric/loss/callback/optimizer subclasses in the
    file -> LAYER, MODEL, MODULE or TRAINING."""
    classes = ctx.walked.of_type(cst.ClassDef)
    found: dict[cst.ClassDef, str] = {}
    changed = True
    while changed:  # a subclass of a local layer class is a layer too
        changed = False
        for cls in classes:
            if cls not in found:
                kinds = {_base_kind(ctx, base.value, found) for base in cls.bases} - {None}
                if kinds:
                    found[cls] = next(k for k in (MODEL, LAYER, MODULE, TRAINING) if k in kinds)
                    changed = True
    return found


def maybe_keras_layers(facts: FileFacts) -> list[ast.ClassDef]:
    """The classes of CPython's tree that keras_classes() may find to be a LAYER or MODEL: a superset,
    for the prefilter, since a name here resolves through any import of it in the file."""
    subclasses: dict[str, list[ast.ClassDef]] = {}  # a bare base name -> the classes that list it
    for cls in facts.classes:
        for base in cls.bases:
            if isinstance(base, ast.Name):
                subclasses.setdefault(base.id, []).append(cls)
    todo = [cls for cls in facts.classes if any(map(functools.partial(_keras_layer_base, facts), cls.bases))]
    found: set[ast.ClassDef] = set()
    while todo:  # a subclass of a (maybe) layer class in the file is one too, however deep the chain
        cls = todo.pop()
        if cls not in found:
            found.add(cls)
            todo.extend(subclasses.get(cls.name, ()))
    return [cls for cls in facts.classes if cls in found]


def _keras_layer_base(facts: FileFacts, base: ast.expr) -> bool:
    return any(kind_of_base(keras_name(name)) in (LAYER, MODEL) for name in facts.qualnames(base))


def _base_kind(ctx: Context, base: cst.CSTNode, found: dict[cst.ClassDef, str]) -> str | None:
    kind = kind_of_base(keras_name(ctx.qualname(base)))
    if kind is not None:
        return kind
    local = local_def(ctx, base)
    return found.get(local) if isinstance(local, cst.ClassDef) else None

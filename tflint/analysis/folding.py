"""Whether an op call is computed at conversion time and disappears from the converted model.

The converter folds an op whose inputs are all constants or (frozen) variables: for
example `tf.linalg.inv(self.kernel)` in a layer's `call` converts with builtins although
MatrixInverse has no builtin kernel (docs/FACTS.md). This module tells the op rules when the
inputs they see are all of that kind, so that they stay quiet there:

- literals, and tuples/lists/arithmetic/subscripts of constant values;
- `tf.Variable(...)`, `self.add_weight(...)`, NumPy and TensorFlow calls on constant values
  (not `tf.random.*`, which runs at inference);
- `self.<attr>` set only in `__init__`/`build` (eager set-up: weights, arrays, numbers),
  and `.kernel`/`.bias`/... of a sub-layer;
- names assigned only from such values, in the same function or at module level.

Whether the converter then folds the op is measured per API and route (tools/probe_routes.py,
rules/data/routes-tf*.toml, docs/FACTS.md): a Keras layer's weights through `from_keras_model`, a
tf.Module's variables, and constants fold alike; `from_concrete_functions([cf], model)` keeps Keras
weights as resource variables and folds nothing. The route is the one the code implies: a call in
a Keras layer or model class is judged on the Keras route, in a tf.Module on the module route,
elsewhere on constants. An API measured to stay there (random and other unfoldable ops) is not
folded; one that stays only for its size (the converter folds results up to 2^16 bits, or twice
the operands') folds on the weights this analysis cannot size, as it did when measured smaller.
"""

from __future__ import annotations

import libcst as cst

from tflint.analysis.entry_points import LAYER, MODEL, MODULE
from tflint.analysis.modelcode import binding_scope, keras_classes, methods, self_assigned
from tflint.context import Context, analysis
from tflint.knowledge import routes
from tflint.walk import Scope

_WEIGHT_ATTRS = {"kernel", "bias", "recurrent_kernel", "embeddings", "gamma", "beta", "moving_mean",
                 "moving_variance", "depthwise_kernel", "pointwise_kernel"}
_SETUP_METHODS = {"__init__", "build"}
_VARIABLE_METHODS = {"add_weight", "add_variable"}
_RUNTIME_PREFIXES = ("tf.random.", "tf.compat.v1.random.", "tf.py_function", "tf.numpy_function")
_LITERALS = (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString,
             cst.FormattedString)
_UNKNOWN = None  # a binding whose value the analysis cannot see (parameter, loop target, ...)


def folded(ctx: Context, call: cst.Call) -> bool:
    """True when every argument of `call` is a constant or a variable: the converter folds it.

    A Keras layer's constructor is never folded: its arguments configure the layer, and its ops
    run on the tensors it is called on (`MaxPooling3D(pool_size=2)(x)`).
    """
    if _is_layer_class(ctx.call_name(call)):
        return False
    if not (call.args and all(_Constness(ctx).of(arg.value) for arg in call.args)):
        return False
    entry = ctx.knowledge.entry(ctx.call_name(call) or "")
    return entry is None or not routes.stays(ctx.knowledge.source, entry.api, _route(ctx, call))


def _route(ctx: Context, call: cst.Call) -> str:
    """The conversion route the code around `call` implies (see the module docstring)."""
    node = ctx.parent(call)
    while node is not None and not isinstance(node, cst.ClassDef):
        node = ctx.parent(node)
    kind = keras_classes(ctx).get(node) if node is not None else None
    return {LAYER: routes.KERAS, MODEL: routes.KERAS, MODULE: routes.MODULE}.get(kind, routes.CONSTANT)


def constant(ctx: Context, node: cst.CSTNode) -> bool:
    """Whether `node` is a constant or a variable the converter folds (a literal, `math.sqrt(2)`)."""
    return _Constness(ctx).of(node)


def _is_layer_class(name: str | None) -> bool:
    return name is not None and name.startswith("keras.layers.") and name.rsplit(".", 1)[1][:1].isupper()


class _Constness:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.visiting: set[tuple[int, str]] = set()

    def of(self, node: cst.CSTNode) -> bool:
        if isinstance(node, _LITERALS):
            return True
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return all(self.of(el.value) for el in node.elements)
        if isinstance(node, cst.UnaryOperation):
            return self.of(node.expression)
        if isinstance(node, cst.BinaryOperation):
            return self.of(node.left) and self.of(node.right)
        if isinstance(node, cst.Subscript):
            return self.of(node.value) and all(self._index(el.slice) for el in node.slice)
        if isinstance(node, cst.Name):
            return self._name(node)
        if isinstance(node, cst.Attribute):
            return self._attribute(node)
        if isinstance(node, cst.Call):
            return self._call(node)
        return False

    def _index(self, index: cst.CSTNode) -> bool:
        if isinstance(index, cst.Index):
            return self.of(index.value)
        return all(part is None or self.of(part) for part in (index.lower, index.upper, index.step))

    def _call(self, call: cst.Call) -> bool:
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in _VARIABLE_METHODS and _is_self(func.value):
            return True
        name = self.ctx.call_name(call)
        if name is None or name.startswith(_RUNTIME_PREFIXES):
            return False
        if name in ("tf.Variable", "tf.compat.v1.Variable"):
            return True
        return name.startswith(("tf.", "numpy.", "math.")) and all(self.of(arg.value) for arg in call.args)

    def _attribute(self, node: cst.Attribute) -> bool:
        if node.attr.value in _WEIGHT_ATTRS and _is_self(_root(node)):
            return True
        if _is_self(node.value):
            return node.attr.value in _setup_attributes(self.ctx, node)
        name = self.ctx.qualname(node)
        return name is not None and name.startswith(("numpy.", "math."))  # np.pi, math.e

    def _name(self, node: cst.Name) -> bool:
        if node.value in ("True", "False", "None"):
            return True
        scope = binding_scope(self.ctx.scope(node), node.value)
        if scope is None:
            return False
        key = (id(scope), node.value)
        values = assignments(self.ctx).get(key)
        if not values or _UNKNOWN in values or key in self.visiting:
            return False
        self.visiting.add(key)
        try:
            return all(self.of(value) for value in values)
        finally:
            self.visiting.discard(key)


def _is_self(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Name) and node.value == "self"


def _root(node: cst.CSTNode) -> cst.CSTNode:
    while isinstance(node, cst.Attribute):
        node = node.value
    return node


@analysis
def assignments(ctx: Context) -> dict[tuple[int, str], list[cst.CSTNode | None]]:
    """(scope, name) -> the values assigned to it; _UNKNOWN for bindings of unseen value."""
    out: dict[tuple[int, str], list[cst.CSTNode | None]] = {}
    bindings = ctx.walked.of_type(cst.Assign, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.WithItem,
                                  cst.NamedExpr, cst.Param)
    for node in bindings:
        scope = ctx.walked.scope_of[node]
        if isinstance(node, cst.Assign):
            for target in node.targets:
                _record(out, scope, target.target, node.value if len(node.targets) == 1 else _UNKNOWN)
        elif isinstance(node, cst.AnnAssign):
            _record(out, scope, node.target, node.value)
        elif isinstance(node, cst.AugAssign):
            _record(out, scope, node.target, node.value)
        elif isinstance(node, (cst.For, cst.CompFor)):
            _record(out, scope, node.target, _UNKNOWN)
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            _record(out, scope, node.asname.name, _UNKNOWN)
        elif isinstance(node, cst.NamedExpr):
            _record(out, scope, node.target, node.value)
        elif isinstance(node, cst.Param):
            _record(out, scope, node.name, _UNKNOWN)
    return out


def _record(out: dict, scope: Scope, target: cst.CSTNode, value: cst.CSTNode | None) -> None:
    if isinstance(target, cst.Name):
        out.setdefault((id(scope), target.value), []).append(value)
    elif isinstance(target, (cst.Tuple, cst.List)):
        for el in target.elements:
            _record(out, scope, el.value, _UNKNOWN)
    elif isinstance(target, cst.StarredElement):
        _record(out, scope, target.value, _UNKNOWN)


def _setup_attributes(ctx: Context, node: cst.CSTNode) -> set[str]:
    """Attributes `self.x` of the class around `node` that only `__init__`/`build` assign."""
    method = node
    while method is not None and not isinstance(method, cst.FunctionDef):
        method = ctx.parent(method)
    scope = ctx.scope(method) if method is not None else None
    if scope is None or scope.kind != "class":
        return set()
    cache = _setup_by_class(ctx)
    if scope.node not in cache:
        cache[scope.node] = _class_setup_attributes(ctx, scope.node)
    return cache[scope.node]


@analysis
def _setup_by_class(ctx: Context) -> dict[cst.ClassDef, set[str]]:
    return {}


def _class_setup_attributes(ctx: Context, cls: cst.ClassDef) -> set[str]:
    setup, elsewhere = set(), set()
    for method in methods(cls):
        bucket = setup if method.name.value in _SETUP_METHODS else elsewhere
        bucket.update(self_assigned(method))
    return setup - elsewhere

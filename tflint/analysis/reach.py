"""Which code the converted model reaches, and through which calls.

A finding inside a helper matters only if model code reaches the helper. This module builds
the file's call graph (calls by name, `self.` methods, custom layers used by instantiation,
functions handed to `tf.function`, `keras.layers.Lambda`, `tf.map_fn` ...), walks it from
the model's entry points (custom Layer/Model classes, model factories like `build_model`,
`@tf.function`s, module code that builds a model) and then, for each graph-code finding
(families TFL1-TFL4) inside a function:

- reached: adds the chain of call sites that reach it as related locations, outermost first;
- reached only from a `tf.data` pipeline (`ds.map(fn)`), a method of a Keras metric, loss,
  callback, optimizer, regularizer, constraint or initializer, a training step (`train_step`,
  `test_step`, `compute_loss`, a function that records a `tf.GradientTape`: training-time code), or by nothing while the file shows what the
  model is: drops it, since that code never becomes part of the converted graph;
- otherwise (a library of helpers with no model in sight): keeps it as it is.

The graph is built only when some finding sits inside a function.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from tflint.analysis import callgraph
from tflint.analysis.arguments import argument
from tflint.context import Context, analysis
from tflint.analysis.entry_points import (ENTRY_METHODS, FACTORY, GRADIENT_TAPE, MODEL, MODEL_BUILDERS,
                                          PIPELINE_METHODS, TRAINING, TRAINING_FUNCTIONS, WRAPPERS, keras_name)
from tflint.analysis.modelcode import find_method, keras_classes, local_def, methods

# How the file's own call graph reaches a finding's def (Report.reach): from the file's model; not at
# all while the file shows its model; not at all in a library of helpers with no model in sight.
REACHED, UNREACHED, LIBRARY = "reached", "unreached", "library"
# Families whose findings are about code that runs inside the converted graph (docs/CONTRACTS.md).
GRAPH_FAMILIES = ("TFL1", "TFL2", "TFL3", "TFL4")
_ENTRY_NAMES = {"__init__": "constructor", "__call__": "__call__()", "call": "call()", "build": "build()"}

FuncNode = cst.FunctionDef | cst.Lambda | cst.Module


@dataclass
class Edge:
    caller: FuncNode
    site: cst.CSTNode
    message: str
    runs: str | None = None  # the context the callee runs in (callgraph.py); None: the caller's


@dataclass
class Analysis:
    reached: dict[FuncNode, Edge | None] = field(default_factory=dict)  # node -> edge it was reached by
    pipeline: set[FuncNode] = field(default_factory=set)
    construction: set[FuncNode] = field(default_factory=set)  # reached only from a constructor: runs eagerly
    training: set[FuncNode] = field(default_factory=set)  # methods of Keras metrics, losses, callbacks...
    shows_model: bool = False
    labels: dict[FuncNode, str] = field(default_factory=dict)
    class_of: dict[FuncNode, cst.ClassDef] = field(default_factory=dict)  # method -> its Keras class
    kind: dict[cst.ClassDef, str] = field(default_factory=dict)  # Keras class -> layer | model | module

    def keeps(self, func: FuncNode | None) -> bool:
        """Whether a finding inside `func` (None: module level) is in code the model may reach."""
        if func is None or func in self.reached:
            return True
        return func not in self.pipeline and func not in self.training and not self.shows_model

    def chain(self, func: FuncNode) -> tuple[tuple[cst.CSTNode, str], ...]:
        """The call sites from a model entry point down to `func`, outermost first; a custom
        Keras class the chain enters is named at its definition."""
        out: list[tuple[cst.CSTNode, str]] = []
        seen = set()
        while func in self.reached and func not in seen:
            seen.add(func)
            edge = self.reached[func]
            cls = self.class_of.get(func)
            if cls is not None and (edge is None or self.class_of.get(edge.caller) is not cls):
                out.append((cls.name, f"in custom {self.kind[cls]} {cls.name.value} (Keras calls its "
                                      f"{_ENTRY_NAMES.get(func.name.value, func.name.value)})"
                            if func.name.value in ENTRY_METHODS else f"in {cls.name.value}"))
            if edge is None:
                break
            out.append((edge.site, edge.message))
            func = edge.caller
        return tuple(reversed(out))


def apply(ctx: Context) -> None:
    """Add the reaching call chain to graph-code findings the file's model reaches; drop those in
    pipeline and training code; mark the others for the project index (ctx.project) or, in a file
    linted alone, drop those no model in sight reaches."""
    inside = [(r, enclosing_function(ctx, r.node)) for r in ctx.reports if r.code.startswith(GRAPH_FAMILIES)]
    if not any(func is not None for _, func in inside):
        return
    analysis = analyze(ctx)
    dropped = set()
    for report, func in inside:
        if func is None:
            continue
        report.scope = scope_name(ctx, func)
        if func in analysis.construction and not _about_layers(ctx, report):
            dropped.add(id(report))  # ops a constructor runs eagerly become constants of the model
        elif func in analysis.reached:
            report.reach = REACHED
            report.related = analysis.chain(func) + report.related
        elif func in analysis.pipeline or func in analysis.training:
            dropped.add(id(report))
        else:
            report.reach = UNREACHED if analysis.shows_model else LIBRARY
            report.layer_site = _about_layers(ctx, report)
            if report.reach == UNREACHED and not ctx.project:
                dropped.add(id(report))
    if dropped:
        ctx.reports[:] = [r for r in ctx.reports if id(r) not in dropped]


def keeps(ctx: Context, node: cst.CSTNode) -> bool:
    """Whether `apply` would keep a graph-code finding at `node` (for rules that need to know)."""
    func = enclosing_function(ctx, node)
    return func is None or analyze(ctx).keeps(func)


def _about_layers(ctx: Context, report) -> bool:
    """A finding about a Keras layer built here (the layer runs in the graph when called), not an op run here."""
    if report.code.startswith("TFL3"):
        return True
    name = keras_name(ctx.call_name(report.node))
    return name is not None and name.startswith("keras.layers.")


def scope_name(ctx: Context, func: FuncNode) -> str | None:
    """`Class.method` or `function`: the outermost def around `func` with the classes above it, as
    the project index names defs; None for a lambda in module code."""
    named = _enclosing(ctx, func) + ([("function", func.name.value)] if type(func) is cst.FunctionDef else [])
    first = next((i for i, (kind, _) in enumerate(named) if kind == "function"), None)
    return None if first is None else ".".join(name for _, name in named[:first + 1])


def class_name(ctx: Context, cls: cst.ClassDef) -> str | None:
    """`Outer.Inner`, as the project index names a class; None for a class inside a def."""
    named = _enclosing(ctx, cls)
    if any(kind == "function" for kind, _ in named):
        return None
    return ".".join([*(name for _, name in named), cls.name.value])


def _enclosing(ctx: Context, node: cst.CSTNode) -> list[tuple[str, str]]:
    """(scope kind, name) of each def and class around `node`, from the module down."""
    named = []
    scope = ctx.scope(node)
    while scope.parent is not None:
        if type(scope.node) is cst.FunctionDef or type(scope.node) is cst.ClassDef:
            named.append((scope.kind, scope.node.name.value))
        scope = scope.parent
    named.reverse()
    return named


def enclosing_function(ctx: Context, node: cst.CSTNode) -> cst.FunctionDef | cst.Lambda | None:
    while node is not None:
        node = ctx.parent(node)
        if type(node) is cst.FunctionDef or type(node) is cst.Lambda:  # isinstance on libcst's ABCs is slow
            return node
    return None


@analysis
def analyze(ctx: Context) -> Analysis:
    return _Builder(ctx).run()


class _Builder:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.edges: dict[FuncNode, list[tuple[FuncNode, Edge]]] = {}  # caller -> (callee, edge)
        self.pipeline_refs: set[FuncNode] = set()
        self.roots: dict[FuncNode, None] = {}  # entry points of the model itself
        self.inner_roots: dict[FuncNode, None] = {}  # graph code wherever it is used from
        self.constructors: dict[FuncNode, None] = {}  # a custom class's __init__: runs eagerly, when built
        self.keras = keras_classes(ctx)
        self.out = Analysis(kind=dict(self.keras))

    def run(self) -> Analysis:
        functions = self.ctx.walked.of_type(cst.FunctionDef, cst.Lambda)
        calls = self.ctx.walked.of_type(cst.Call)
        for node in functions:
            if type(node) is cst.FunctionDef:
                self._function(node)
            else:
                self.out.labels[node] = "a lambda"
        for call in calls:
            self._call(call)
        for node in functions:
            self._nested(node)
        self._walk()
        return self.out

    def _function(self, node: cst.FunctionDef) -> None:
        scope = self.ctx.scope(node)
        cls = scope.node if scope.kind == "class" else None
        self.out.labels[node] = f"{cls.name.value}.{node.name.value}()" if cls else f"{node.name.value}()"
        if self.keras.get(cls) == TRAINING or node.name.value in TRAINING_FUNCTIONS:
            self.out.training.add(node)
        elif cls in self.keras:
            self.out.class_of[node] = cls
            if node.name.value in ENTRY_METHODS:
                whole = self.keras[cls] == MODEL
                graph = self.roots if whole else self.inner_roots
                (self.constructors if node.name.value == "__init__" else graph)[node] = None
                self.out.shows_model |= whole
        for decorator in (d.decorator for d in node.decorators):
            if self._is_wrapper(decorator):
                self.roots[node] = None
                self.out.shows_model |= _serving(decorator)
        if scope.kind == "module" and FACTORY.match(node.name.value):
            self.roots[node] = None
            self.out.shows_model = True

    def _is_wrapper(self, decorator: cst.CSTNode) -> bool:
        target = decorator.func if isinstance(decorator, cst.Call) else decorator
        return keras_name(self.ctx.qualname(target)) in WRAPPERS

    def _call(self, call: cst.Call) -> None:
        caller = self._owner(call)
        qualname = keras_name(self.ctx.call_name(call))
        if qualname in MODEL_BUILDERS:
            self.roots[caller] = None
            self.out.shows_model = True
        if qualname == GRADIENT_TAPE and caller is not self.ctx.module:
            self.out.training.add(caller)
        callee = self._callee(call.func, caller)
        if isinstance(callee, cst.FunctionDef):
            self._edge(caller, callee, call, f"{self._label(caller)} calls {self.out.labels[callee]}")
        elif isinstance(callee, cst.ClassDef) and self.keras.get(callee) != TRAINING:  # a loss runs in training
            what = f"custom {self.keras[callee]} " if callee in self.keras else ""
            for method in methods(callee, ENTRY_METHODS):  # Keras calls all but __init__ in the graph
                runs = callgraph.CONSTRUCTION if method.name.value == "__init__" else callgraph.GRAPH
                self._edge(caller, method, call, f"{self._label(caller)} uses {what}{callee.name.value}", runs)
        # `ds.map(fn)` on a value (not a TF function such as tf.map_fn): a tf.data stage
        pipeline = (isinstance(call.func, cst.Attribute) and call.func.attr.value in PIPELINE_METHODS
                    and (qualname is None or qualname.startswith("tf.data.")))
        for arg in call.args:
            passed = self._passed_function(arg.value)
            if passed is None:
                continue
            if pipeline:
                self.pipeline_refs.add(passed)
                continue
            if qualname in WRAPPERS:
                self.inner_roots[passed] = None
                self.out.shows_model |= qualname == "keras.layers.Lambda" or _serving(call)
            name = self.out.labels[passed]
            self._edge(caller, passed, arg.value, f"{self._label(caller)} passes {name} to {_short(call)}")

    def _nested(self, node: cst.FunctionDef | cst.Lambda) -> None:
        """A function defined inside another runs when its parent does, unless it feeds a pipeline."""
        parent = self._owner(node)
        if (parent is self.ctx.module or node in self.pipeline_refs or self.ctx.scope(node).kind == "class"
                or type(self.ctx.parent(node)) is cst.Arg):  # handed to a call: that edge says when it runs
            return
        site = node.name if isinstance(node, cst.FunctionDef) else node
        # kept and called later, maybe in the graph (`self.act = lambda x: ...` in a constructor)
        self._edge(parent, node, site, f"{self.out.labels[node]} is defined in {self._label(parent)}",
                   callgraph.GRAPH)

    def _edge(self, caller: FuncNode, callee: FuncNode, site: cst.CSTNode, message: str,
              runs: str | None = None) -> None:
        self.edges.setdefault(caller, []).append((callee, Edge(caller, site, message, runs)))

    def _walk(self) -> None:
        # A tf.function handed only to tf.data is data code; a tf.function training step is no model.
        for func in [*self.pipeline_refs, *self.out.training]:
            self.roots.pop(func, None)
        roots = (dict.fromkeys(self.roots), dict.fromkeys(self.inner_roots))
        self.out.reached, self.out.construction = callgraph.walk(roots, dict.fromkeys(self.constructors),
                                                                 self._edges_of)
        pipeline = dict.fromkeys(self.pipeline_refs)
        callgraph.spread(pipeline, self.pipeline_refs, self._edges_of)
        self.out.pipeline = set(pipeline)

    def _edges_of(self, caller: FuncNode):
        return ((callee, edge, edge.runs) for callee, edge in self.edges.get(caller, ()))

    def _owner(self, node: cst.CSTNode) -> FuncNode:
        return enclosing_function(self.ctx, node) or self.ctx.module

    def _label(self, func: FuncNode) -> str:
        return "module code" if func is self.ctx.module else self.out.labels[func]

    def _self_method(self, attr: cst.CSTNode, owner: FuncNode | None) -> cst.FunctionDef | None:
        """`self.helper` inside a method: the method of that class (or a local base) it names."""
        if not (isinstance(attr, cst.Attribute) and isinstance(attr.value, cst.Name)
                and attr.value.value in ("self", "cls") and isinstance(owner, cst.FunctionDef)):
            return None
        scope = self.ctx.scope(owner)
        return find_method(self.ctx, scope.node, attr.attr.value) if scope.kind == "class" else None

    def _callee(self, func: cst.CSTNode, caller: FuncNode) -> cst.FunctionDef | cst.ClassDef | None:
        return local_def(self.ctx, func) or self._self_method(func, caller)

    def _passed_function(self, value: cst.CSTNode) -> cst.FunctionDef | cst.Lambda | None:
        if isinstance(value, cst.Lambda):
            return value
        found = local_def(self.ctx, value) or self._self_method(value, enclosing_function(self.ctx, value))
        return found if isinstance(found, cst.FunctionDef) else None


def _serving(node: cst.CSTNode) -> bool:
    """A tf.function with a full input_signature: a signature someone converts or serves."""
    return isinstance(node, cst.Call) and argument(node, "input_signature", None) is not None


def _short(call: cst.Call) -> str:
    return f"{_dotted(call.func)}()"


def _dotted(node: cst.CSTNode) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return "(...)"

"""One walk over a libcst tree: Python scopes, their bindings, parents, and the nodes rules want.

libcst's generic visitor and its ScopeProvider cost several times the parse (FACTS.md); this
walk reads dataclass fields directly and records only what name resolution and the rules
need. Scoping follows Python: function bodies see enclosing functions and the module, not
class bodies; defaults, decorators and the first comprehension iterable belong outside.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import libcst as cst

IMPORTED = "import"
LOCAL = "local"


@dataclass(eq=False)
class Scope:
    kind: str  # module | function | class | comprehension
    node: cst.CSTNode
    parent: "Scope | None"
    # name -> list of (kind, qualified name or None); kind is IMPORTED or LOCAL
    bindings: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)

    def bind(self, name: str, kind: str = LOCAL, target: str | None = None) -> None:
        scope = self.module() if name in self.globals else self
        scope.bindings.setdefault(name, []).append((kind, target))

    def module(self) -> "Scope":
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def lookup(self, name: str) -> list[tuple[str, str | None]] | None:
        """The bindings a read of `name` here sees, by Python's scoping rules."""
        scope: Scope | None = self
        first = True
        while scope is not None:
            if (first or scope.kind != "class") and name in scope.bindings:
                return scope.bindings[name]
            first = False
            scope = scope.parent
        return None

    def enclosing_function(self) -> "Scope | None":
        scope: Scope | None = self
        while scope is not None and scope.kind != "function":
            scope = scope.parent
        return scope


_FIELDS: dict[type, tuple[str, ...]] = {}
_SKIP_TYPES = (cst.BaseParenthesizableWhitespace, cst.EmptyLine, cst.TrailingWhitespace, cst.Newline)


def _child_fields(node_type: type) -> tuple[str, ...]:
    names = _FIELDS.get(node_type)
    if names is None:
        names = _FIELDS[node_type] = tuple(
            f.name for f in dataclasses.fields(node_type) if not f.name.startswith("whitespace")
        )
    return names


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Direct children in source order, without whitespace nodes."""
    out: list[cst.CSTNode] = []
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            if not isinstance(value, _SKIP_TYPES):
                out.append(value)
        elif type(value) in (list, tuple):
            out.extend(v for v in value if isinstance(v, cst.CSTNode) and not isinstance(v, _SKIP_TYPES))
    return out


@dataclass
class WalkResult:
    module_scope: Scope
    scope_of: dict[cst.CSTNode, Scope]
    parent: dict[cst.CSTNode, cst.CSTNode]
    wanted: list[cst.CSTNode]  # nodes of the requested types, in source order
    scopes: list[Scope]


_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def walk(module: cst.Module, want: tuple[type, ...]) -> WalkResult:
    root = Scope("module", module, None)
    result = WalkResult(root, {}, {}, [], [root])
    stack: list[tuple[cst.CSTNode, Scope]] = [(module, root)]
    parent = result.parent
    scope_of = result.scope_of
    while stack:
        node, scope = stack.pop()
        scope_of[node] = scope
        if isinstance(node, want):
            result.wanted.append(node)
        pushed = _enter(node, scope, result)
        if pushed is None:
            pushed = [(child, scope) for child in children(node)]
        for child, _ in pushed:
            parent[child] = node
        stack.extend(reversed(pushed))
    return result


def _new_scope(kind: str, node: cst.CSTNode, parent: Scope, result: WalkResult) -> Scope:
    scope = Scope(kind, node, parent)
    result.scopes.append(scope)
    return scope


def _enter(node: cst.CSTNode, scope: Scope, result: WalkResult):
    """Record what `node` binds; return its children with their scopes where they differ."""
    if isinstance(node, cst.FunctionDef):
        scope.bind(node.name.value)
        inner = _new_scope("function", node, scope, result)
        outer = [*node.decorators, *_param_outer_parts(node.params)]
        if node.returns is not None:
            outer.append(node.returns)
        _bind_params(node.params, inner)
        return [(c, scope) for c in outer] + [(node.params, inner), (node.body, inner)]
    if isinstance(node, cst.Lambda):
        inner = _new_scope("function", node, scope, result)
        _bind_params(node.params, inner)
        return [(c, scope) for c in _param_outer_parts(node.params)] + [(node.params, inner), (node.body, inner)]
    if isinstance(node, cst.ClassDef):
        scope.bind(node.name.value)
        inner = _new_scope("class", node, scope, result)
        outer = [*node.decorators, *node.bases, *node.keywords]
        return [(c, scope) for c in outer] + [(node.body, inner)]
    if isinstance(node, _COMPREHENSIONS):
        inner = _new_scope("comprehension", node, scope, result)
        return [(node.for_in.iter, scope)] + [(c, inner) for c in children(node)]
    if isinstance(node, cst.CompFor) and getattr(result.parent.get(node), "for_in", None) is node:
        _bind_target(node.target, scope)  # the first iterable was already walked outside
        return [(c, scope) for c in children(node) if c is not node.iter]
    if isinstance(node, (cst.Global, cst.Nonlocal)):
        if isinstance(node, cst.Global):
            scope.globals.update(n.name.value for n in node.names)
        return []
    _record_binding(node, scope)
    return None


def _param_outer_parts(params: cst.Parameters) -> list[cst.CSTNode]:
    parts: list[cst.CSTNode] = []
    for p in _all_params(params):
        if p.default is not None:
            parts.append(p.default)
        if p.annotation is not None:
            parts.append(p.annotation)
    return parts


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    out = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            out.append(star)
    return out


def _bind_params(params: cst.Parameters, scope: Scope) -> None:
    for p in _all_params(params):
        scope.bind(p.name.value)


def _record_binding(node: cst.CSTNode, scope: Scope) -> None:
    if isinstance(node, cst.Import):
        for alias in node.names:
            dotted = _dotted(alias.name)
            if alias.asname is not None:
                scope.bind(_target_name(alias.asname.name), IMPORTED, dotted)
            else:
                top = dotted.split(".", 1)[0]
                scope.bind(top, IMPORTED, top)
    elif isinstance(node, cst.ImportFrom):
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        base = _dotted(node.module)
        for alias in node.names:
            name = _dotted(alias.name)
            bound = _target_name(alias.asname.name) if alias.asname is not None else name
            scope.bind(bound, IMPORTED, f"{base}.{name}")
    elif isinstance(node, (cst.Assign)):
        for t in node.targets:
            _bind_target(t.target, scope)
    elif isinstance(node, (cst.AnnAssign, cst.AugAssign)):
        _bind_target(node.target, scope)
    elif isinstance(node, (cst.For, cst.CompFor)):
        _bind_target(node.target, scope)
    elif isinstance(node, cst.WithItem) and node.asname is not None:
        _bind_target(node.asname.name, scope)
    elif isinstance(node, cst.ExceptHandler) and node.name is not None:
        _bind_target(node.name.name, scope)
    elif isinstance(node, cst.NamedExpr):
        target = scope
        while target.kind == "comprehension" and target.parent is not None:
            target = target.parent
        _bind_target(node.target, target)
    elif isinstance(node, (cst.MatchAs, cst.MatchStar)) and node.name is not None:
        scope.bind(node.name.value)


def _bind_target(target: cst.CSTNode, scope: Scope) -> None:
    if isinstance(target, cst.Name):
        scope.bind(target.value)
    elif isinstance(target, (cst.Tuple, cst.List)):
        for el in target.elements:
            _bind_target(el.value, scope)
    elif isinstance(target, cst.StarredElement):
        _bind_target(target.value, scope)


def _target_name(node: cst.CSTNode) -> str:
    return node.value if isinstance(node, cst.Name) else _dotted(node)


def _dotted(node: cst.CSTNode) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    raise TypeError(f"not a dotted name: {type(node).__name__}")

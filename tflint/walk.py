"""One walk over a libcst tree: Python scopes, their bindings, parents, and the nodes rules want.

libcst's metadata providers (scopes, qualified names) cost several times the parse (docs/FACTS.md); this
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
ALIAS = "alias"  # `tf1 = tf.compat.v1`: the name stands for a dotted name, resolved in its scope


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
        owner = self.owner(name)
        return None if owner is None else owner.bindings[name]

    def owner(self, name: str) -> "Scope | None":
        """The scope whose binding of `name` a read here sees."""
        scope: Scope | None = self
        first = True
        while scope is not None:
            if (first or scope.kind != "class") and name in scope.bindings:
                return scope
            first = False
            scope = scope.parent
        return None

    def enclosing_function(self) -> "Scope | None":
        scope: Scope | None = self
        while scope is not None and scope.kind != "function":
            scope = scope.parent
        return scope


# Whitespace, and the tokens that hold nothing a rule reads (a quarter of a typical tree's nodes):
# punctuation and operators (a rule reads `node.operator` where it needs one).
_SKIP_TYPES = (cst.BaseParenthesizableWhitespace, cst.EmptyLine, cst.TrailingWhitespace, cst.Newline,
               cst.Comma, cst.Dot, cst.Colon, cst.Semicolon, cst.AssignEqual, cst.LeftParen, cst.RightParen,
               cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace, cst.RightCurlyBrace,
               cst.BaseBinaryOp, cst.BaseUnaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseAugOp)
# libcst node classes are ABCs, so isinstance() on them is slow; the walk asks each question
# once per node type and remembers the answer in these tables.
_FIELDS: dict[type, tuple[str, ...]] = {}
_IS_CHILD: dict[type, bool] = {}  # a node of this type is a child the walk visits


def _child_fields(node_type: type) -> tuple[str, ...]:
    names = _FIELDS.get(node_type)
    if names is None:
        names = _FIELDS[node_type] = tuple(
            f.name for f in dataclasses.fields(node_type) if not f.name.startswith("whitespace")
        )
    return names


def _is_child(value_type: type) -> bool:
    answer = _IS_CHILD.get(value_type)
    if answer is None:
        answer = _IS_CHILD[value_type] = (issubclass(value_type, cst.CSTNode)
                                          and not issubclass(value_type, _SKIP_TYPES))
    return answer


# Nodes whose only node fields hold parentheses (a third of a typical tree's nodes: names above all).
_LEAVES = {cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis}


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Direct children in source order, without whitespace and punctuation (_SKIP_TYPES)."""
    out: list[cst.CSTNode] = []
    if type(node) in _LEAVES:
        return out
    is_child = _IS_CHILD
    for name in _FIELDS.get(type(node)) or _child_fields(type(node)):
        value = getattr(node, name)
        value_type = type(value)
        if value_type is list or value_type is tuple:
            for v in value:
                kept = is_child.get(type(v))
                if kept or kept is None and _is_child(type(v)):
                    out.append(v)
        else:
            kept = is_child.get(value_type)
            if kept or kept is None and _is_child(value_type):
                out.append(value)
    return out


@dataclass
class WalkResult:
    module_scope: Scope
    scope_of: dict[cst.CSTNode, Scope]
    parent: dict[cst.CSTNode, cst.CSTNode]
    wanted: list[cst.CSTNode]  # nodes of the requested types, in source order
    scopes: list[Scope]
    by_type: dict[type, list[cst.CSTNode]] = field(default_factory=dict)  # exact type -> its nodes, in walk order
    _of_types: dict[frozenset[type], list[cst.CSTNode]] = field(default_factory=dict)

    def of_type(self, *types: type) -> list[cst.CSTNode]:
        """Every node whose exact type is one of `types`, in walk order (isinstance on libcst's ABCs
        is slow). Not to be changed by the caller."""
        present = [t for t in types if t in self.by_type]
        if len(present) <= 1:
            return self.by_type[present[0]] if present else []
        key = frozenset(present)
        found = self._of_types.get(key)
        if found is None:  # several types: one pass keeps their nodes' walk order
            found = self._of_types[key] = [node for node in self.scope_of if type(node) in key]
        return found


_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def walk(module: cst.Module, want: tuple[type, ...]) -> WalkResult:
    root = Scope("module", module, None)
    result = WalkResult(root, {}, {}, [], [root])
    stack: list[tuple[cst.CSTNode, Scope]] = [(module, root)]
    parent = result.parent
    scope_of = result.scope_of
    wanted = result.wanted
    kinds: dict[type, tuple[bool, object, list[cst.CSTNode]]] = {}  # type -> wanted?, handler, its nodes
    while stack:
        node, scope = stack.pop()
        scope_of[node] = scope
        node_type = type(node)
        kind = kinds.get(node_type)
        if kind is None:
            kind = kinds[node_type] = (issubclass(node_type, want), _HANDLERS.get(node_type) or _handler(node_type),
                                       result.by_type.setdefault(node_type, []))
        hit, handler, same_type = kind
        same_type.append(node)
        if hit:
            wanted.append(node)
        pushed = handler(node, scope, result) if handler is not _no_scope_change else None
        if pushed is None:
            kids = children(node)
            for child in kids:
                parent[child] = node
            stack.extend((child, scope) for child in reversed(kids))
        else:
            for child, _ in pushed:
                parent[child] = node
            stack.extend(reversed(pushed))
    return result


def _new_scope(kind: str, node: cst.CSTNode, parent: Scope, result: WalkResult) -> Scope:
    scope = Scope(kind, node, parent)
    result.scopes.append(scope)
    return scope


def _enter_function(node: cst.FunctionDef, scope: Scope, result: WalkResult):
    scope.bind(node.name.value)
    result.parent[node.name] = node  # not walked, but a finding may point at it (its span is asked for)
    inner = _new_scope("function", node, scope, result)
    outer = [*node.decorators, *_param_outer_parts(node.params)]
    if node.returns is not None:
        outer.append(node.returns)
    _bind_params(node.params, inner)
    return [(c, scope) for c in outer] + [(node.params, inner), (node.body, inner)]


def _enter_lambda(node: cst.Lambda, scope: Scope, result: WalkResult):
    inner = _new_scope("function", node, scope, result)
    _bind_params(node.params, inner)
    return [(c, scope) for c in _param_outer_parts(node.params)] + [(node.params, inner), (node.body, inner)]


def _enter_class(node: cst.ClassDef, scope: Scope, result: WalkResult):
    scope.bind(node.name.value)
    result.parent[node.name] = node
    inner = _new_scope("class", node, scope, result)
    outer = [*node.decorators, *node.bases, *node.keywords]
    return [(c, scope) for c in outer] + [(node.body, inner)]


def _enter_comprehension(node: cst.CSTNode, scope: Scope, result: WalkResult):
    inner = _new_scope("comprehension", node, scope, result)
    return [(node.for_in.iter, scope)] + [(c, inner) for c in children(node)]


def _enter_comp_for(node: cst.CompFor, scope: Scope, result: WalkResult):
    _bind_target(node.target, scope)
    if getattr(result.parent.get(node), "for_in", None) is node:  # its iterable was walked outside
        return [(c, scope) for c in children(node) if c is not node.iter]
    return None


def _enter_global(node: cst.Global, scope: Scope, result: WalkResult):
    scope.globals.update(n.name.value for n in node.names)
    return []


def _enter_nonlocal(node: cst.Nonlocal, scope: Scope, result: WalkResult):
    return []


def _binder(record):
    """A handler that records what a node binds and walks its children in the same scope."""
    def handler(node: cst.CSTNode, scope: Scope, result: WalkResult) -> None:
        record(node, scope)
    return handler


def _no_scope_change(node: cst.CSTNode, scope: Scope, result: WalkResult) -> None:
    return None


def _bind_import(node: cst.Import, scope: Scope) -> None:
    for alias in node.names:
        dotted = _dotted(alias.name)
        if alias.asname is not None:
            scope.bind(_target_name(alias.asname.name), IMPORTED, dotted)
        else:
            top = dotted.split(".", 1)[0]
            scope.bind(top, IMPORTED, top)


def _bind_import_from(node: cst.ImportFrom, scope: Scope) -> None:
    if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
        return
    base = _dotted(node.module)
    for alias in node.names:
        name = _dotted(alias.name)
        bound = _target_name(alias.asname.name) if alias.asname is not None else name
        scope.bind(bound, IMPORTED, f"{base}.{name}")


def _bind_assign(node: cst.Assign, scope: Scope) -> None:
    target = node.targets[0].target
    if len(node.targets) == 1 and isinstance(target, cst.Name) and _is_dotted(node.value):
        scope.bind(target.value, ALIAS, _dotted(node.value))
        return
    for t in node.targets:
        _bind_target(t.target, scope)


def _is_dotted(node: cst.CSTNode) -> bool:
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


def _bind_loop_or_assign(node: cst.AnnAssign | cst.AugAssign | cst.For, scope: Scope) -> None:
    _bind_target(node.target, scope)


def _bind_with_item(node: cst.WithItem, scope: Scope) -> None:
    if node.asname is not None:
        _bind_target(node.asname.name, scope)


def _bind_except(node: cst.ExceptHandler, scope: Scope) -> None:
    if node.name is not None:
        _bind_target(node.name.name, scope)


def _bind_named_expr(node: cst.NamedExpr, scope: Scope) -> None:
    target = scope
    while target.kind == "comprehension" and target.parent is not None:
        target = target.parent
    _bind_target(node.target, target)


def _bind_match_name(node: cst.MatchAs | cst.MatchStar, scope: Scope) -> None:
    if node.name is not None:
        scope.bind(node.name.value)


# What each kind of node does to scopes, first match wins. A handler returns the node's children
# with their scopes where they differ from the node's, or None to walk its children as usual.
_BY_KIND = (
    (cst.FunctionDef, _enter_function),
    (cst.Lambda, _enter_lambda),
    (cst.ClassDef, _enter_class),
    (_COMPREHENSIONS, _enter_comprehension),
    (cst.CompFor, _enter_comp_for),
    (cst.Global, _enter_global),
    (cst.Nonlocal, _enter_nonlocal),
    (cst.Import, _binder(_bind_import)),
    (cst.ImportFrom, _binder(_bind_import_from)),
    (cst.Assign, _binder(_bind_assign)),
    ((cst.AnnAssign, cst.AugAssign, cst.For), _binder(_bind_loop_or_assign)),
    (cst.WithItem, _binder(_bind_with_item)),
    (cst.ExceptHandler, _binder(_bind_except)),
    (cst.NamedExpr, _binder(_bind_named_expr)),
    ((cst.MatchAs, cst.MatchStar), _binder(_bind_match_name)),
)
_HANDLERS: dict[type, object] = {}


def _handler(node_type: type):
    found = next((h for kind, h in _BY_KIND if issubclass(node_type, kind)), _no_scope_change)
    _HANDLERS[node_type] = found
    return found


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

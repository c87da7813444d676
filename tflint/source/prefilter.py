"""Which rules can report on a file, decided before libcst parses it.

libcst's parse is about ten times CPython's, and most TensorFlow files hold no finding, so
the engine first asks three cheap questions, each sound by construction (a rule they drop
could not have reported):
1. Does the file name `tensorflow` or `keras` at all?
2. Does it spell every identifier of one of the rule's triggers (`linalg` and `inv` for
   `tf.linalg.inv`)?
3. In CPython's tree (`ast`), does some Name or Attribute chain resolve through the file's
   imports to a name with those parts? Every binding of a name counts, in any scope, so
   this over-approximates tflint's scope-aware resolver (tflint/analysis/names.py), which resolves
   a name only through imports too. A rule may add its own question (`Rule.may_report`).
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Iterable, Iterator

from tflint.analysis.entry_points import canonical
from tflint.knowledge import KERAS_DTYPE_STRINGS

if TYPE_CHECKING:
    from tflint.knowledge import Knowledge
    from tflint.api import Rule

# Files that name neither are never parsed: no rule can report on them.
_MARKERS = ("tensorflow", "keras")
_WORD = re.compile(r"\w+")
# The roots of every name a trigger asks for: rules are about TensorFlow and Keras APIs.
RULE_ROOTS = ("tf", "keras", "tf_keras")


def mentions_tf(text: str) -> bool:
    """Whether any rule can apply: the prefilter of static linting and of --trace alike."""
    return any(marker in text for marker in _MARKERS)


@dataclass(frozen=True)
class Trigger:
    """What a file must hold for a rule to report there: resolved names and some identifiers."""

    names: tuple[frozenset[str], ...] = ()  # each: the parts of a qualified name the file resolves (parts())
    words: frozenset[str] = frozenset()  # identifiers it spells besides (argument values, attributes)
    makers: frozenset[str] = frozenset()  # if any: one is a part of a name it resolves (an API called)
    # if any: a call of the (first) name passes each of these parameters (name, position or None)
    passes: tuple[tuple[str, int | None], ...] = ()

    @functools.cached_property
    def identifiers(self) -> frozenset[str]:
        return self.words.union(*self.names)


def parts(qualname: str) -> frozenset[str]:
    """`tf.linalg.inv` -> {linalg, inv}: what any resolved spelling of it has (tf.compat.v1.linalg.inv too)."""
    return frozenset(qualname.split(".")[1:])


def named(*qualnames: str, words: Iterable[str] = ()) -> list[Trigger]:
    """Triggers for calls of any of `qualnames` (`tf.linalg.inv`), each with all of `words`."""
    extra = frozenset(words)
    return [Trigger((parts(name),), extra) for name in qualnames]


def having(*parts: str) -> list[Trigger]:
    """Triggers for any resolved name with one of `parts` (`LSTM`: keras.layers.LSTM and every alias)."""
    return [Trigger((frozenset({part}),)) for part in parts]


def spelled(*identifier_sets: Iterable[str]) -> list[Trigger]:
    """Triggers that need only identifiers spelled in the file (no resolved name)."""
    return [Trigger(words=frozenset(ids)) for ids in identifier_sets]


class FileFacts:
    """What the prefilter reads from one file, each part computed on first use."""

    def __init__(self, text: str, tree: ast.Module | None = None) -> None:
        self.text = text
        if tree is not None:
            self.tree = tree

    @cached_property
    def tree(self) -> ast.Module:
        return ast.parse(self.text)

    @cached_property
    def words(self) -> set[str]:
        """The identifiers it spells, and Keras's dtype strings it quotes, as `"int"`."""
        quoted = {f'"{s}"' for s in KERAS_DTYPE_STRINGS if f'"{s}"' in self.text or f"'{s}'" in self.text}
        return set(_WORD.findall(self.text)) | quoted

    def holds(self, trigger: Trigger) -> bool:
        return (trigger.identifiers <= self.words and all(map(self.resolves, trigger.names))
                and (not trigger.makers or any(part in self._scan.names_with for part in trigger.makers))
                and (not trigger.passes or self.passes(trigger.names[0], trigger.passes)))

    def passes(self, name: frozenset[str], params: tuple[tuple[str, int | None], ...]) -> bool:
        """Whether a call of what may resolve to a name with these parts passes each of `params` (by
        keyword, or positionally at its position: starred arguments aside, as tflint reads a call)."""
        for call in self.of_type(ast.Call):
            if all(_passes(call, *param) for param in params) and any(
                    name <= set(q.split(".")) for q in self.qualnames(call.func) if q.split(".", 1)[0] in RULE_ROOTS):
                return True
        return False

    def resolves(self, name: frozenset[str]) -> bool:
        """Whether some Name or Attribute chain may resolve to a name under RULE_ROOTS with all these parts."""
        some_part = next(iter(name))
        return any(name <= resolved for resolved in self._scan.names_with.get(some_part, ()))

    @property
    def classes(self) -> list[ast.ClassDef]:
        return self.of_type(ast.ClassDef)

    def of_type(self, node_type: type) -> list:
        """The nodes of CPython's tree of that exact type, one of _KEPT."""
        return self._scan.by_type[node_type]

    def qualnames(self, node: ast.expr) -> set[str]:
        """Every qualified name a Name or Attribute chain may resolve to, whatever its scope."""
        chain = chain_of(node)
        return set(self._scan.resolutions(chain)) if chain else set()

    @cached_property
    def _scan(self) -> "_Scan":
        return _Scan(self.tree)


class _Scan:
    """One walk of the ast: imports, Name/Attribute chains, the nodes rules look at (by type); then the
    names the chains resolve to."""

    def __init__(self, tree: ast.Module) -> None:
        self.by_type: dict[type, list[ast.AST]] = {kind: [] for kind in _KEPT}
        self.imports: dict[str, set[str]] = {}  # bound name -> what any import binds it to
        chains: set[tuple[str, ...]] = set()
        aliases: list[tuple[str, tuple[str, ...]]] = []  # `tf1 = tf.compat.v1`, in any scope
        stack: list[ast.AST] = [tree]
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind is ast.Attribute:
                chain = chain_of(node)
                if chain:  # nothing below but its parts; a prefix (`tf.keras` of it) resolves to fewer parts
                    chains.add(chain)
                    continue
            elif kind is ast.Import or kind is ast.ImportFrom:
                self._bind_import(node)
                continue
            elif kind in self.by_type:
                self.by_type[kind].append(node)
                if kind is ast.Assign and len(node.targets) == 1 and type(node.targets[0]) is ast.Name:
                    chain = chain_of(node.value)
                    if chain:
                        aliases.append((node.targets[0].id, chain))
            fields = _CHILD_FIELDS.get(kind)
            for name in _child_fields(kind) if fields is None else fields:
                value = getattr(node, name)
                if type(value) is list:
                    stack.extend([v for v in value if type(v) not in _UNREAD and isinstance(v, ast.AST)])
                elif type(value) not in _UNREAD and isinstance(value, ast.AST):
                    stack.append(value)
        self._bind_aliases(aliases)
        chains.update((bound,) for bound in self.imports)  # a bare imported name, e.g. `LSTM(...)`
        self.names_with: dict[str, list[frozenset[str]]] = {}
        for chain in chains:
            for name in self.resolutions(chain):
                root = name.split(".", 1)[0]
                if root in RULE_ROOTS:
                    resolved = frozenset(name.split("."))
                    for part in resolved:
                        self.names_with.setdefault(part, []).append(resolved)

    def _bind_import(self, node: ast.Import | ast.ImportFrom) -> None:
        imports = self.imports
        if type(node) is ast.Import:
            for alias in node.names:
                bound = alias.asname or alias.name.split(".", 1)[0]
                imports.setdefault(bound, set()).add(alias.name if alias.asname else bound)
        elif node.level == 0 and node.module:
            for alias in node.names:
                if alias.name != "*":
                    imports.setdefault(alias.asname or alias.name, set()).add(f"{node.module}.{alias.name}")

    def _bind_aliases(self, aliases: list[tuple[str, tuple[str, ...]]]) -> None:
        """An alias binds what its dotted value resolves to, through imports or other aliases (a
        fixpoint: every alias of a chain of n aliases is bound after n rounds)."""
        for _ in range(len(aliases)):
            grew = False
            for name, chain in aliases:
                found = set(self.resolutions(chain)) - self.imports.get(name, set())
                if found:
                    self.imports.setdefault(name, set()).update(found)
                    grew = True
            if not grew:
                return

    def resolutions(self, chain: tuple[str, ...]) -> Iterator[str]:
        """What `chain` names through each import of its first name (as tflint/analysis/names.py resolves)."""
        for target in self.imports.get(chain[0], ()):
            yield ".".join([canonical(target), *chain[1:]])


# The node types whose nodes FileFacts.of_type() gives.
_KEPT = (ast.Call, ast.Assign, ast.ClassDef, ast.Subscript)
# What the scan needs of these it reads through their parents (an Attribute's chain): half of all nodes.
_UNREAD = frozenset({ast.Name, ast.Constant})
# Fields that never hold a node worth visiting: names and flags, and the Load/Store contexts and
# operators that are a third of all nodes.
_LEAF_FIELDS = {"ctx", "op", "id", "attr", "name", "arg", "asname", "module", "level", "is_async", "conversion",
                "kind", "type_comment", "simple"}
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}


def ast_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node but expression contexts and operators, in no particular order (half ast.walk's time)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        fields = _CHILD_FIELDS.get(type(node))
        for name in _child_fields(type(node)) if fields is None else fields:
            value = getattr(node, name)
            if type(value) is list:
                stack.extend([v for v in value if isinstance(v, ast.AST)])
            elif isinstance(value, ast.AST):
                stack.append(value)


def _child_fields(kind: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS[kind] = tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
    return fields


def _passes(call: ast.Call, param: str, position: int | None) -> bool:
    if any(keyword.arg == param for keyword in call.keywords):
        return True
    return position is not None and sum(type(arg) is not ast.Starred for arg in call.args) > position


def chain_of(node: ast.expr) -> tuple[str, ...] | None:
    """("tf", "linalg", "inv") for `tf.linalg.inv`, ("tf",) for `tf`; None for any other expression."""
    attrs = []
    while type(node) is ast.Attribute:
        attrs.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return None
    return (node.id, *reversed(attrs))


def can_report(rules: list[type[Rule]], known: Knowledge, target: str, facts: FileFacts) -> list[type[Rule]]:
    """The rules that may report on the file: the others need not run, nor the file be parsed."""
    out = []
    for rule in rules:
        by_key = triggers_by_key(rule, known, target)
        if by_key is not None and not any(facts.holds(t) for key in facts.words.intersection(by_key)
                                          for t in by_key[key]):
            continue
        if rule.may_report(facts):
            out.append(rule)
    return out


@functools.cache
def triggers_by_key(rule: type[Rule], known: Knowledge, target: str) -> dict[str, list[Trigger]] | None:
    """The rule's triggers under `target`, by one identifier each needs (its longest: the rarest, likely)."""
    found = rule.triggers(known, target)
    if found is None:
        return None
    by_key: dict[str, list[Trigger]] = {}
    for trigger in found:
        if not trigger.identifiers:
            return None  # a name of one part (an op table entry `tf`): nothing to look for, any file may hold it
        by_key.setdefault(max(trigger.identifiers, key=len), []).append(trigger)
    return by_key

"""The project index: every linted file's summary joined into one call graph, walked from the entry points.

Modules are named as Python imports them (a folder with `__init__.py` is a package), so
`from keras_hub.src.layers import X`, `from .layers import X` and an `__init__.py` that re-exports
X all lead to the class where it is defined. Custom Keras classes are recognised across files (a
subclass of a subclass of `keras.layers.Layer` in another module is a layer; one of
`keras.losses.Loss` is training code, however indirect).

Entry points: what each summary names (model factories, functional builders, module code that
builds a model, `tf.function`s), and the `call`, `build`, `__init__` and `__call__` of every custom
Keras layer or model and `tf.Module`; none in test files. A function is reached when a chain of
calls leads to it from an entry point; the index keeps, for each, the call that first reached it.
"""

from __future__ import annotations

import os
import re
from collections import deque
from dataclasses import dataclass, field

from tflint.analysis import callgraph
from tflint.analysis.entry_points import ENTRY_METHODS, LAYER, MODEL, MODULE, TRAINING, canonical, keras_name, kind_of_base
from tflint.report.diagnostics import ConstructorFlag

Node = tuple[str, str]  # (path, qualified name in its module; "" for module code)
_TEST_FILE = re.compile(r"(^test_.*|.*_test|^conftest)\.py$")
_TEST_DIRS = {"tests", "test", "testing"}
_MAX_HOPS = 8  # re-exports followed through __init__ files; a cycle resolves to nothing


@dataclass(frozen=True)
class Step:
    """One link of a chain: the place in `path` and what happens there."""

    path: str
    line: int
    col: int
    message: str


@dataclass
class Index:
    summaries: dict[str, dict]
    modules: dict[str, str] = field(default_factory=dict)  # module name -> path
    module_of: dict[str, str] = field(default_factory=dict)  # path -> module name
    kinds: dict[Node, str | None] = field(default_factory=dict)  # class -> LAYER, MODEL, MODULE, TRAINING
    reached: dict[Node, tuple[Node | None, Step]] = field(default_factory=dict)
    construction: set[Node] = field(default_factory=set)  # reached only from constructors: runs eagerly
    model_roots: set[Node] = field(default_factory=set)
    callers: dict[Node, set[Node]] = field(default_factory=dict)
    built_at: dict[Node, list[tuple[Node, int]]] = field(default_factory=dict)  # class -> (caller, row of calls)
    _bases: dict[Node, list[Node]] = field(default_factory=dict)  # memo of _project_bases
    _methods: dict[tuple[Node, str], Node | None] = field(default_factory=dict)  # memo of _method

    @classmethod
    def build(cls, summaries: dict[str, dict]) -> "Index":
        index = cls(summaries)
        for path in summaries:
            name = module_name(path)
            index.modules.setdefault(name, path)
            index.module_of[path] = name
        index._walk(index._edges())
        return index

    def chain(self, node: Node) -> tuple[Step, ...]:
        """The steps from an entry point down to `node`, outermost first (empty if unreached)."""
        steps: list[Step] = []
        seen = set()
        while node in self.reached and node not in seen:
            seen.add(node)
            node, step = self.reached[node]
            steps.append(step)
            if node is None:
                break
        return tuple(reversed(steps))

    def models_reaching(self, node: Node) -> set[Node]:
        """The whole-model entry points from which some chain of calls leads to `node`."""
        todo, seen = [node], {node}
        while todo:
            for caller in self.callers.get(todo.pop(), ()):
                if caller not in seen:
                    seen.add(caller)
                    todo.append(caller)
        return seen & self.model_roots

    def fixes_batch(self, node: Node) -> bool:
        return node[1] in self.summaries[node[0]]["fixed_batch"]

    def input_dynamic(self, node: Node) -> list[list]:
        """[batch dynamic, other dynamic dimensions at least, exact] of each keras.Input the entry point
        makes (summary.py); [] if none."""
        return self.summaries[node[0]]["input_dynamic"].get(node[1], [])

    def flag_where_built(self, flag: ConstructorFlag, path: str) -> list[tuple[Node, Step, str | None]]:
        """Each place a linted file builds the class `flag` is of (defined in `path`): the def it is
        in, the place, and the flag's value there ("True", "False"; None when the call does not say:
        a value that is no literal, `*args` or `**kwargs` that may hold it, no default)."""
        out = []
        for caller, row in self.built_at.get((path, flag.cls), ()):
            summary = self.summaries[caller[0]]
            _, _, line, col = summary["calls"][row]
            passed = next((rest for at, *rest in summary["arguments"] if at == row), None)
            value = None if passed is None else _flag_value(flag, *passed)
            said = {"True": "true", "False": "false", None: "not known"}[value]
            how = " (its default)" if passed is not None and _defaulted(flag, *passed) else ""
            out.append((caller, Step(caller[0], line, col, f"{_label(caller[1])} builds {flag.cls} with "
                                                           f"{flag.parameter} {said}{how}"), value))
        return out

    # -- building

    def _edges(self) -> dict[Node, list[tuple[Node, tuple[Node, Step], str | None]]]:
        """caller -> (callee, (caller, the step), the context the callee runs in: callgraph.py)."""
        edges: dict[Node, list[tuple[Node, tuple[Node, Step], str | None]]] = {}
        for path, summary in self.summaries.items():
            for row, (owner, reference, line, col) in enumerate(summary["calls"]):
                caller = (path, owner)
                callees, cls = self._callees(path, reference)
                if cls is not None:
                    self.built_at.setdefault(cls, []).append((caller, row))
                for callee, what, runs in callees:
                    elsewhere = "" if callee[0] == path else f" ({os.path.basename(callee[0])})"
                    step = Step(path, line, col, f"{_label(owner)} {what}{elsewhere}")
                    edges.setdefault(caller, []).append((callee, (caller, step), runs))
                    self.callers.setdefault(callee, set()).add(caller)
        return edges

    def _callees(self, path: str, reference: str) -> tuple[list[tuple[Node, str, str | None]], Node | None]:
        """What a call runs (callee, what the step says, the context it runs in), and the class it builds."""
        if reference.startswith("self:"):
            cls, _, method = reference[5:].rpartition(".")
            found = self._method((path, cls), method)
            return ([(found, f"calls {_label(found[1])}", None)] if found else []), None
        target = self._resolve(path, reference)
        if target is None:
            return [], None
        if target[1] in self.summaries[target[0]]["bases"]:  # a class: Keras calls these, but not a loss's
            if self.kind(target) == TRAINING:
                return [], target
            found = (self._method(target, name) for name in sorted(ENTRY_METHODS))
            return [(node, f"uses {target[1]}", _runs(node)) for node in dict.fromkeys(found) if node], target
        return [(target, f"calls {_label(target[1])}", None)], None

    def _resolve(self, path: str, reference: str, hops: int = 0) -> Node | None:
        """The def a reference made in `path` names, if it is in a linted file."""
        if reference.startswith("@"):
            return self._defined(path, reference[1:])
        dotted = self._absolute(path, reference)
        if dotted is None or hops > _MAX_HOPS:
            return None
        parts = dotted.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = self.modules.get(".".join(parts[:cut]))
            if module is None:
                continue
            rest = parts[cut:]
            imported = self.summaries[module]["imports"].get(rest[0])
            if imported is not None and rest[0] not in self.summaries[module]["defs"]:  # a re-export
                return self._resolve(module, ".".join([imported, *rest[1:]]), hops + 1)
            return self._defined(module, ".".join(rest))
        return None

    def _absolute(self, path: str, reference: str) -> str | None:
        """`.layers.Dense` in package `a.b` -> `a.b.layers.Dense`."""
        if not reference.startswith("."):
            return reference
        level = len(reference) - len(reference.lstrip("."))
        package = self.module_of[path].split(".")
        if not os.path.basename(path) == "__init__.py":
            package = package[:-1]
        if level - 1 > len(package):
            return None
        base = package[:len(package) - (level - 1)]
        return ".".join([*base, reference[level:]]) if reference[level:] else ".".join(base)

    def _defined(self, path: str, qual: str) -> Node | None:
        defs = self.summaries[path]["defs"]
        if qual in defs:
            return (path, qual)
        cls, _, method = qual.rpartition(".")  # an inherited method named through its class
        return self._method((path, cls), method) if cls in self.summaries[path]["bases"] else None

    def _method(self, cls: Node, name: str) -> Node | None:
        """`name` defined in class `cls` or in a base class defined in a linted file (breadth first)."""
        if (cls, name) not in self._methods:
            self._methods[(cls, name)] = self._find_method(cls, name)
        return self._methods[(cls, name)]

    def _find_method(self, cls: Node, name: str) -> Node | None:
        todo, seen = deque([cls]), set()
        while todo:
            current = todo.popleft()
            if current in seen:
                continue
            seen.add(current)
            path, qual = current
            if f"{qual}.{name}" in self.summaries[path]["defs"]:
                return (path, f"{qual}.{name}")
            todo.extend(self._project_bases(current))
        return None

    def _project_bases(self, cls: Node) -> list[Node]:
        if cls not in self._bases:
            path, qual = cls
            found = (self._resolve(path, base) for base in self.summaries[path]["bases"].get(qual, ()))
            self._bases[cls] = [b for b in found if b is not None and b[1] in self.summaries[b[0]]["bases"]]
        return self._bases[cls]

    def kind(self, cls: Node) -> str | None:
        """LAYER, MODEL, MODULE or TRAINING for a custom Keras (or tf.Module) class; None otherwise.

        Bases first, without recursion: a chain of thousands of subclasses is linear and cannot
        overflow the stack; in a cycle of bases, a base still being worked out counts as no class."""
        stack, visiting = [(cls, False)], set()
        while stack:
            node, bases_done = stack.pop()
            if node in self.kinds:
                continue
            if bases_done:
                self.kinds[node] = self._own_kind(node)
                continue
            visiting.add(node)
            stack.append((node, True))
            stack.extend((base, False) for base in self._project_bases(node) if base not in visiting)
        return self.kinds[cls]

    def _own_kind(self, cls: Node) -> str | None:
        path, qual = cls
        kinds = set()
        for base in self.summaries[path]["bases"].get(qual, ()):
            project = self._resolve(path, base)
            if project is not None and project[1] in self.summaries[project[0]]["bases"]:
                kinds.add(self.kinds.get(project))
            else:
                dotted = self._absolute(path, base)
                kinds.add(kind_of_base(keras_name(canonical(dotted))) if dotted else None)
        kinds.discard(None)
        return next((k for k in (MODEL, LAYER, MODULE) if k in kinds), kinds.pop() if kinds else None)

    def _roots(self) -> tuple[dict[Node, Step], dict[Node, Step], dict[Node, Step]]:
        """The entry points: whole models first (their chains are the ones to show), then layers, then
        constructors (run eagerly, unless they build a functional model, as keras-hub's backbones do)."""
        models: dict[Node, Step] = {}
        layers: dict[Node, Step] = {}
        constructors: dict[Node, Step] = {}
        for path, summary in self.summaries.items():
            if is_test_file(path):
                continue
            for owner, why in summary["roots"]:
                line, col = summary["defs"].get(owner, (1, 1))
                models.setdefault((path, owner), Step(path, line, col, f"{_label(owner)}: entry point ({why})"))
            for qual in summary["bases"]:
                kind = self.kind((path, qual))
                if kind not in (LAYER, MODEL, MODULE):
                    continue
                for method in ENTRY_METHODS:
                    node = (path, f"{qual}.{method}")
                    if node[1] in summary["defs"]:
                        line, col = summary["defs"][qual]
                        step = Step(path, line, col, f"in custom {kind} {qual} (Keras calls its {method}())")
                        group = constructors if method == "__init__" else models if kind == MODEL else layers
                        if node not in models:
                            group.setdefault(node, step)
        return models, layers, constructors

    def _walk(self, edges: dict[Node, list[tuple[Node, tuple[Node, Step], str | None]]]) -> None:
        models, layers, constructors = self._roots()
        self.model_roots = set(models)
        as_edges = [{node: (None, step) for node, step in roots.items()} for roots in (models, layers, constructors)]
        self.reached, self.construction = callgraph.walk(as_edges[:2], as_edges[2], lambda n: edges.get(n, ()))


def _flag_value(flag: ConstructorFlag, positional: str, keywords: dict[str, str]) -> str | None:
    """The flag's value in a call that passes `positional` and `keywords` (summary.py's letters)."""
    letter = keywords.get(flag.parameter)
    if letter is None and flag.position is not None and "*" not in positional[:flag.position + 1]:
        letter = positional[flag.position:flag.position + 1] or None
    if letter is None:
        return flag.default if _defaulted(flag, positional, keywords) else None
    return {"T": "True", "F": "False"}.get(letter)


def _defaulted(flag: ConstructorFlag, positional: str, keywords: dict[str, str]) -> bool:
    """Whether the call leaves the parameter to its default: not passed, and no `*args`, `**kwargs` that may."""
    reaches = flag.position is not None and len(positional) > flag.position
    return flag.parameter not in keywords and "**" not in keywords and "*" not in positional and not reaches


def _runs(method: Node) -> str:
    """Creating an object runs its constructor at construction; Keras runs its other methods in the graph."""
    return callgraph.CONSTRUCTION if method[1].endswith(".__init__") else callgraph.GRAPH


def _label(qual: str) -> str:
    return "module code" if not qual else f"{qual}()"


def is_test_file(path: str) -> bool:
    parts = path.replace(os.sep, "/").split("/")
    return bool(_TEST_FILE.match(parts[-1])) or any(part in _TEST_DIRS for part in parts[:-1])


_PACKAGE_CACHE: dict[str, list[str]] = {}


def module_name(path: str) -> str:
    """The dotted name Python imports the file by: up through every folder with an `__init__.py`."""
    folder, base = os.path.split(os.path.abspath(path))
    stem = base[:-3] if base.endswith(".py") else base
    return ".".join([*_package(folder), *([] if stem == "__init__" else [stem])])


def _package(folder: str) -> list[str]:
    if folder not in _PACKAGE_CACHE:
        parent, name = os.path.split(folder)
        inside = os.path.isfile(os.path.join(folder, "__init__.py")) and parent != folder
        _PACKAGE_CACHE[folder] = [*_package(parent), name] if inside else []
    return _PACKAGE_CACHE[folder]

"""What one file tells the project index, read from CPython's tree (ten times cheaper than libcst's).

A summary is plain data (dicts, lists, strings, ints), so the result cache can keep it beside the
file's findings and a warm run builds the index without parsing anything:

- `imports`: each name the file binds by importing -> the dotted name it stands for; relative
  imports keep their leading dots (`.layers.Dense`), resolved by the index, which knows packages;
- `defs`: every function, method and class -> [line, col] of its name's `def`/`class` line;
  methods are `Class.method`, and a def nested in a function belongs to that function;
- `bases`: each class -> its bases, as references (below);
- `calls`: [owner, reference, line, col] for each call, class use or function handed to another
  call (`tf.map_fn(self._step, x)`), by the def it happens in (`""`: module and class code);
  calls through imports of TensorFlow, Keras and the standard library are left out;
- `roots`: [owner, why] for the entry points the file shows by itself: model factories,
  functional builders, module code that builds a model, `tf.function`s, functions handed to
  `tf.function` or `Lambda`; not training steps (`train_step`, code that records a GradientTape);
- `fixed_batch`: the owners that build a `keras.Input` with a literal batch size;
- `input_dynamic`: each owner that builds `keras.Input`s -> for each, [its batch is dynamic (0 or
  1), how many of its other dimensions are dynamic at least, whether exactly (a literal shape)];
- `arguments`: [row of `calls`, positional, keywords] for each call of a capitalised name (a class,
  by PEP 8's names): what it passes, `T`/`F` for a literal True/False and `?` for anything else;
  positional is one such letter per argument (`*` for `*args`), keywords maps each name to one
  (`**` for `**kwargs`). The index reads a constructor flag off them (settle.py).

A reference is `@Qual` for a def of this file, `self:Class.method` for a call on `self`, or a
dotted name through the file's imports. The rules for what is an entry point are reach.py's
(in-file, on libcst's tree), applied here to CPython's tree; both read the same name sets.
"""

from __future__ import annotations

import ast
import bisect
import sys

from tflint.analysis.entry_points import (FACTORY, GRADIENT_TAPE, INPUTS, MODEL_BUILDERS, PIPELINE_METHODS,
                                          TRAINING_FUNCTIONS, WRAPPERS, canonical, keras_name)
from tflint.source.prefilter import FileFacts, chain_of


def summarize(facts: FileFacts) -> dict:
    return _Summary(facts).data


def with_shared_strings(value):
    """The summary with every string interned: a run keeps every file's summary until the index is
    built, and the same module and call names recur across files (measured: 11.2 -> 7.0 MB for
    tf-models-official's 1,114 summaries, received unpickled from the workers)."""
    if type(value) is str:
        return sys.intern(value)
    if type(value) is list:
        return [with_shared_strings(item) for item in value]
    if type(value) is dict:
        return {sys.intern(key): with_shared_strings(item) for key, item in value.items()}
    return value


_BLOCKS = (ast.If, ast.Try, ast.TryStar, ast.With)
# Imports of these never lead to a linted file: calls through them are not recorded.
_EXTERNAL = frozenset(sys.stdlib_module_names) | {
    "tensorflow", "keras", "tf_keras", "numpy", "absl", "six", "jax", "torch", "scipy", "PIL", "cv2", "sklearn",
    "pandas", "tensorflow_text", "tensorflow_hub", "tensorflow_datasets", "tensorflow_model_optimization", "gin"}


class _Summary:
    def __init__(self, facts: FileFacts) -> None:
        text, tree = facts.text, facts.tree
        self.lines = None if text.isascii() else text.splitlines()
        self.imports: dict[str, str] = {}
        self.defs: dict[str, list[int]] = {}
        self.bases: dict[str, list[ast.expr]] = {}
        self.owners: list[tuple[int, int, str]] = []  # (first line, last line, def): functions and methods
        self.raw_calls: list[tuple[str, tuple[str, ...], ast.AST]] = []
        self.roots: list[list[str]] = []
        self.fixed_batch: list[str] = []
        self.input_dynamic: dict[str, list[list]] = {}  # def -> [batch, others, exact] per keras.Input
        self.arguments: list[list] = []  # [row of calls, positional, keywords] per construction
        self.training: set[str] = set()  # training steps: no entry point, whatever wraps them
        self._defs(tree.body, "")
        self.owners.sort()
        self._starts = [start for start, _, _ in self.owners]
        for call in facts.of_type(ast.Call):
            self._call(call, self._owner(call.lineno))
        roots = [root for root in self.roots if root[0] not in self.training]
        self.data = {"imports": self.imports, "defs": self.defs, "bases": self._resolved_bases(),
                     "calls": self._resolved_calls(), "roots": roots, "fixed_batch": self.fixed_batch,
                     "input_dynamic": self.input_dynamic, "arguments": self.arguments}

    def _defs(self, body: list[ast.stmt], prefix: str) -> None:
        """Registers the defs of a module or class body (and of blocks in them) and the module's imports."""
        for node in body:
            kind = type(node)
            if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                qual = prefix + node.name
                self.defs[qual] = self._place(node)
                self.owners.append((node.lineno, node.end_lineno, qual))
                if node.name in TRAINING_FUNCTIONS:
                    self.training.add(qual)
                self._decorators(node, qual, prefix)
            elif kind is ast.ClassDef:
                qual = prefix + node.name
                self.defs[qual] = self._place(node)
                self.bases[qual] = node.bases
                self._defs(node.body, qual + ".")
            elif kind is ast.Import or kind is ast.ImportFrom:
                self._import(node)
            elif kind in _BLOCKS:  # `try: import x`, `if TYPE_CHECKING:`: defs and imports all the same
                for field in ("body", "orelse", "finalbody", "handlers"):
                    self._defs(getattr(node, field, ()), prefix)
            elif kind is ast.ExceptHandler:
                self._defs(node.body, prefix)

    def _owner(self, line: int) -> str:
        """The function or method whose lines hold `line` ("" for module and class code)."""
        at = bisect.bisect_right(self._starts, line) - 1
        if at >= 0 and self.owners[at][1] >= line:
            return self.owners[at][2]
        return ""

    def _decorators(self, node: ast.FunctionDef, qual: str, prefix: str) -> None:
        for decorator in node.decorator_list:
            target = decorator.func if type(decorator) is ast.Call else decorator
            if self._external(target) in WRAPPERS:
                self.roots.append([qual, "a tf.function"])
        if not prefix and FACTORY.match(node.name):
            self.roots.append([qual, "a model factory"])

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if type(node) is ast.Import:
            for alias in node.names:
                bound = alias.asname or alias.name.split(".", 1)[0]
                self.imports.setdefault(bound, alias.name if alias.asname else bound)
            return
        base = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name != "*":
                joiner = "" if base.endswith(".") else "."
                self.imports.setdefault(alias.asname or alias.name, f"{base}{joiner}{alias.name}")

    def _call(self, node: ast.Call, owner: str) -> None:
        func = node.func
        chain = chain_of(func)
        if chain is None:
            return
        name = self._external(func, chain)
        if name is not None:
            if name == GRADIENT_TAPE:
                self.training.add(owner)
            if name in MODEL_BUILDERS:
                self.roots.append([owner, "builds a Keras model"])
            if name in INPUTS:
                if _fixes_batch(node):
                    self.fixed_batch.append(owner)
                self.input_dynamic.setdefault(owner, []).append(_dynamic_dims(node))
            if name in WRAPPERS:
                self._handed(node, name)
            if type(func) is ast.Attribute and func.attr in PIPELINE_METHODS and not name.startswith("tf.data."):
                return
        if chain[0] in ("self", "cls") or self._maybe_project(chain[0]):
            self.raw_calls.append((owner, chain, node))
        for arg in [*node.args, *(k.value for k in node.keywords)]:  # `tf.map_fn(self._step, x)`
            kind = type(arg)
            if kind is ast.Name or kind is ast.Attribute:
                handed = chain_of(arg)
                if handed is not None and (handed[0] in ("self", "cls") or handed[0] in self.defs):
                    self.raw_calls.append((owner, handed, arg))

    def _handed(self, call: ast.Call, wrapper: str) -> None:
        """`tf.function(fn)`, `Lambda(fn)`: fn is graph code wherever the call is."""
        for arg in call.args[:1]:
            chain = chain_of(arg)
            if chain is not None and len(chain) == 1 and chain[0] in self.defs:
                self.roots.append([chain[0], "handed to " + wrapper])

    def _maybe_project(self, head: str) -> bool:
        target = self.imports.get(head)
        if target is None:
            return True  # a def of this file, or a name bound otherwise (resolved to nothing later)
        return target.startswith(".") or target.split(".", 1)[0] not in _EXTERNAL

    def _external(self, node: ast.AST, chain: tuple[str, ...] | None = None) -> str | None:
        chain = chain or chain_of(node)
        if chain is None or chain[0] not in self.imports:
            return None
        return keras_name(canonical(".".join([self.imports[chain[0]], *chain[1:]])))

    def _resolved_calls(self) -> list[list]:
        out = []
        for owner, chain, node in self.raw_calls:
            reference = self._reference(chain, owner)
            if reference:
                if type(node) is ast.Call and chain[-1][:1].isupper():
                    self.arguments.append([len(out), *_passed(node)])
                out.append([owner, reference, *self._place(node)])
        return out

    def _reference(self, chain: tuple[str, ...], owner: str) -> str | None:
        head = chain[0]
        if head in self.imports:
            return ".".join([self.imports[head], *chain[1:]])
        if head in ("self", "cls") and len(chain) == 2 and "." in owner:
            return f"self:{owner.rsplit('.', 1)[0]}.{chain[1]}"
        if head in self.defs:
            return "@" + ".".join(chain)
        return None

    def _resolved_bases(self) -> dict[str, list[str]]:
        return {cls: [ref for ref in (self._reference(chain_of(b) or ("",), "") for b in bases) if ref]
                for cls, bases in self.bases.items()}

    def _place(self, node: ast.AST) -> list[int]:
        """1-based line and column in code points (CPython counts UTF-8 bytes)."""
        line, col = node.lineno, node.col_offset
        if self.lines is not None and line <= len(self.lines):
            col = len(self.lines[line - 1].encode()[:col].decode(errors="ignore"))
        return [line, col + 1]


def _fixes_batch(call: ast.Call) -> bool:
    for keyword in call.keywords:
        value = keyword.value
        if keyword.arg == "batch_size" and type(value) is ast.Constant and type(value.value) is int:
            return True
        if keyword.arg == "batch_shape" and type(value) in (ast.Tuple, ast.List) and value.elts:
            first = value.elts[0]
            return type(first) is ast.Constant and type(first.value) is int
    return False


def _dynamic_dims(call: ast.Call) -> list:
    """Of the tensor a `keras.Input(...)` call makes: [its batch is dynamic (0 or 1, 0 if not known),
    how many of its other dimensions are dynamic at least, whether both are exact]."""
    keywords = {k.arg: k.value for k in call.keywords}
    batch_shape = keywords.get("batch_shape")
    if batch_shape is not None:
        nones = _nones(batch_shape)
        return [nones[0], sum(nones[1:]), True] if nones is not None else [0, 0, False]
    nones = _nones(keywords.get("shape", call.args[0] if call.args else None))
    batch = keywords.get("batch_size")
    fixed = type(batch) is ast.Constant and type(batch.value) is int
    return [int(batch is None), sum(nones or ()), nones is not None and (batch is None or fixed)]


def _nones(shape: ast.expr | None) -> list[int] | None:
    """1 for each `None` of a literal shape, 0 for each size; None for any other expression."""
    if type(shape) not in (ast.Tuple, ast.List) or not shape.elts:
        return None
    if not all(type(el) is ast.Constant and (el.value is None or type(el.value) is int) for el in shape.elts):
        return None
    return [int(el.value is None) for el in shape.elts]


def _passed(call: ast.Call) -> list:
    """[positional, keywords] of `arguments` (above)."""
    positional = "".join("*" if type(arg) is ast.Starred else _letter(arg) for arg in call.args)
    return [positional, {k.arg or "**": _letter(k.value) if k.arg else "?" for k in call.keywords}]


def _letter(value: ast.expr) -> str:
    if type(value) is ast.Constant and type(value.value) is bool:
        return "T" if value.value else "F"
    return "?"


_KEYS = ("imports", "defs", "bases", "calls", "roots", "fixed_batch", "input_dynamic", "arguments")


def well_formed(value) -> bool:
    """Whether `value` has exactly the shape summarize() gives (the result cache keeps summaries)."""
    if type(value) is not dict or tuple(value) != _KEYS:
        return False
    imports, defs, bases, calls, roots, fixed_batch, input_dynamic, arguments = value.values()
    return (type(imports) is dict and all(type(k) is str and type(v) is str for k, v in imports.items())
            and type(defs) is dict and all(type(k) is str and _row(v, (int, int)) for k, v in defs.items())
            and type(bases) is dict and all(type(k) is str and _strs(v) for k, v in bases.items())
            and type(calls) is list and all(_row(c, (str, str, int, int)) for c in calls)
            and type(roots) is list and all(_row(r, (str, str)) for r in roots) and _strs(fixed_batch)
            and type(input_dynamic) is dict and all(type(k) is str and type(v) is list and v
                                                    and all(_row(n, (int, int, bool)) for n in v)
                                                    for k, v in input_dynamic.items())
            and type(arguments) is list and all(_passes(a, len(calls)) for a in arguments))


def _passes(value, calls: int) -> bool:
    """An `arguments` row: [row of calls, positional letters, {keyword: letter}]."""
    return (_row(value, (int, str, dict)) and 0 <= value[0] < calls and set(value[1]) <= set("TF?*")
            and all(type(k) is str and v in ("T", "F", "?") for k, v in value[2].items()))


def _row(value, types: tuple) -> bool:
    return type(value) is list and len(value) == len(types) and all(map(isinstance, value, types))


def _strs(value) -> bool:
    return type(value) is list and all(type(v) is str for v in value)

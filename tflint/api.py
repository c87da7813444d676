"""The rule API: everything a rule author imports comes from this module.

A rule is one class: its code, name and severity (with `severities` for the targets where it
differs), a docstring that is its documentation (headings in DOC_HEADINGS), VALID and INVALID
examples that are its tests (INVALID lines end in inline expectations, `# TFL101`, exactly like
fixtures), and `visit_<NodeType>(self, node)` methods for the libcst node types it inspects
(plus `finish(self)` if it decides at the end). The engine walks each file once and calls the
methods in source order; a rule reports with `self.report(node, message)`.

`triggers()` (and, where names are not enough, `may_report()`) say what a file must hold for
the rule to report there, so that files holding nothing for any rule are never parsed with
libcst (tflint/source/prefilter.py); they must never drop a file the rule would report on,
which tests/unit/test_prefilter.py checks on every example and on generated programs.

    class NoKernel(Rule):
        '''An op with no TFLite kernel ... (## What it does, ## Why it breaks in TFLite, ...)'''

        code, name, severity = "TFL101", "no-tflite-kernel", Severity.ERROR
        INVALID = (Example('''
            import tensorflow as tf
            y = tf.nn.fractional_max_pool(x, r)  # TFL101
        '''),)

        def visit_Call(self, node):
            verdict = call_verdict(self, node)
            if verdict is not None and verdict.on(self.ctx.target) == FAILS:
                self.report(node, f"{verdict.api} has no TFLite kernel", op=verdict.culprits("select"))
"""

from __future__ import annotations

import functools
import inspect
import re
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Iterable, Mapping

import libcst as cst

from tflint.analysis import reach
from tflint.analysis.arguments import argument, dtype_name, given_params, literal, literal_args
from tflint.analysis.calls import layer_calls
from tflint.analysis.carried import from_caller
from tflint.analysis.constructor_flags import constructor_flag
from tflint.analysis.index_lists import IndexList, index_list
from tflint.analysis.dtype_verdicts import dtype_verdict
from tflint.analysis.dtypes import CASTS
from tflint.analysis.folding import folded
from tflint.analysis.fusion import fused
from tflint.analysis.names import resolve
from tflint.analysis.norms import matrix_norm_names, norm_verdict
from tflint.analysis.shapes import Shape, shape_of
from tflint.analysis.modelcode import (LAYER, MODEL, binding_scope, built_from, find_method, fixed_batch_input,
                                       keras_classes, keras_name, local_def, maybe_keras_layers)
from tflint.context import analysis
from tflint.knowledge import CONVERTS, FAILS, FLOAT, Knowledge, Spellings, Verdict, alternatives
from tflint.report.diagnostics import ConstructorFlag, Severity
from tflint.source.prefilter import Trigger, ast_nodes, chain_of, having, named, parts, spelled
from tflint.walk import children

if TYPE_CHECKING:
    from tflint.context import Context
    from tflint.source.prefilter import FileFacts

__all__ = [
    "CALLBACKS", "CASTS", "CONVERTS", "DOC_HEADINGS", "Example", "FAILS", "FLOAT", "Knowledge", "LAYER", "MODEL", "Rule",
    "RNN_LAYERS", "STRING_LAYERS", "Severity", "TENSOR_LIST_OPS", "Trigger", "Verdict", "alternative_advice", "alternatives_doc", "api_triggers",
    "argument", "ast_nodes", "binding_scope", "built_from", "call_verdict", "chain_of", "children", "constructor_flag",
    "dtype_name", "find_method", "fixed_batch_input", "folded", "from_caller", "having", "IndexList", "index_list",
    "keras_classes", "keras_name", "layer_calls", "literal", "literal_args", "local_def", "matrix_norm_names",
    "maybe_keras_layers", "named", "parts",
    "reach", "resolves_to", "Shape", "shape_of", "spelled",
]

DOC_HEADINGS = ("What it does", "Why it breaks in TFLite", "Example", "Use instead", "Evidence")


@dataclass(frozen=True)
class Example:
    """Source for a rule's tests; lines that must report end in `# TFLnnn`.

    Written as an indented triple-quoted string that starts on its own line (Fixit's style):
    the text is dedented and its first line break dropped.
    """

    source: str
    target: str = "builtins"
    fixed: str | None = None  # the file after --fix, where the rule offers one

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", _dedented(self.source))
        if self.fixed is not None:
            object.__setattr__(self, "fixed", _dedented(self.fixed))


def _dedented(text: str) -> str:
    return textwrap.dedent(text[1:]) if text.startswith("\n") else text


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]  # the default, under --target builtins
    severities: ClassVar[Mapping[str, Severity]] = {}  # targets where the default differs
    VALID: ClassVar[tuple[Example, ...]] = ()
    INVALID: ClassVar[tuple[Example, ...]] = ()

    def __init__(self, ctx: "Context") -> None:
        self.ctx = ctx

    @classmethod
    def severity_on(cls, target: str) -> Severity:
        return cls.severities.get(target, cls.severity)

    def report(self, node: cst.CSTNode, message: str, *, severity: Severity | None = None,
               op: str | tuple[str, ...] | None = None, fix: tuple[str, cst.CSTNode, cst.CSTNode] | None = None,
               related: tuple[tuple[cst.CSTNode, str], ...] = (), fails_if_dynamic: str | None = None,
               fails_if_flag: ConstructorFlag | None = None) -> None:
        """A finding on `node`; its severity is the rule's under the file's target unless given.
        `fails_if_dynamic`, `fails_if_flag`: see Diagnostic."""
        self.ctx.report(self, node, message, severity=severity or self.severity_on(self.ctx.target), op=op,
                        fix=fix, related=related, fails_if_dynamic=fails_if_dynamic, fails_if_flag=fails_if_flag)

    def finish(self) -> None:
        """Called after every node of the file was visited."""

    @classmethod
    def triggers(cls, knowledge: "Knowledge", target: str) -> Iterable["Trigger"] | None:
        """What a file must hold, for one of the triggers, for this rule to report there under `target`.

        A file that holds none of any enabled rule's triggers is not parsed with libcst at all
        (tflint/source/prefilter.py). Sound for names the rule resolves: a call of `tf.linalg.inv`
        spells `linalg` and `inv` and resolves through an import to a name with those parts.
        None (the default): any file.
        """
        return None

    @classmethod
    def may_report(cls, facts: "FileFacts") -> bool:
        """A further cheap look at a file that passed the triggers (its CPython tree, say)."""
        return True

    @classmethod
    @functools.cache
    def node_types(cls) -> tuple[type, ...]:
        return tuple(getattr(cst, name[6:]) for name in dir(cls) if name.startswith("visit_"))

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def data_doc(cls, knowledge: "Knowledge") -> str:
        """What `--explain` prints after the docstring, from the data (the verified alternatives)."""
        return ""

    @classmethod
    def summary(cls) -> str:
        return cls.doc().split("\n", 1)[0]

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        parts = re.split(r"^## (.+)$", cls.doc(), flags=re.MULTILINE)
        return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


# Ops of the Python callbacks, which no target can run (TFL401 reports them; TFL101 leaves them).
CALLBACKS = {
    "tf.py_function": "EagerPyFunc",
    "tf.compat.v1.py_function": "EagerPyFunc",
    "tf.numpy_function": "PyFunc",
    "tf.compat.v1.numpy_function": "PyFunc",
    "tf.compat.v1.py_func": "PyFunc",
    "tf.py_func": "PyFunc",
}
# The ops a TensorArray or a Keras RNN's loop becomes when it cannot be lowered to builtins.
TENSOR_LIST_OPS = ("TensorListReserve", "TensorListFromTensor", "TensorListGetItem", "TensorListSetItem",
                   "TensorListStack")


# Keras layers whose verdict a layer rule gives, with its own way out: the RNNs (TFL301: fixed
# batch or unroll) and the string and hash-table preprocessing layers (TFL303: preprocess in
# tf.data; StringLookup converts through from_keras_model). The op rules leave them alone.
RNN_LAYERS = frozenset({"LSTM", "GRU", "SimpleRNN", "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"})
# Cells and the bidirectional wrapper: their loop is the enclosing RNN's or the wrapped layer's,
# whose call TFL301 judges (a cell inside RNN(unroll=True) converts; its probe, in RNN, does not).
RNN_PARTS = frozenset({"LSTMCell", "GRUCell", "SimpleRNNCell", "StackedRNNCells", "Bidirectional"})
STRING_LAYERS = {
    "TextVectorization": (("StringLower", "StaticRegexReplace", "StringSplitV2", "RaggedTensorToTensor"), "string"),
    "Hashing": (("StringToHashBucketFast",), "string hashing"),
    "IntegerLookup": (("HashTableV2", "LookupTableFindV2"), "int64 hash-table"),
}
_LAYER_RULES_OWN = RNN_LAYERS | RNN_PARTS | set(STRING_LAYERS) | {"StringLookup"}


def call_verdict(rule: Rule, call: cst.Call) -> Verdict | None:
    """What the op knowledge says about this call, or None for an unknown or non-TF call, for the
    layers a layer rule reports, and for ops the converter fuses away (tflint/analysis/fusion.py).
    Where the input dtype decides and the code leaves it open, the verdict is `unsure`
    (tflint/analysis/dtype_verdicts.py): report it as a warning that names the condition.
    Worked out once per call: up to five rules ask."""
    known = _verdicts(rule.ctx)
    key = id(call)  # the file's tree outlives the table; libcst's __hash__ is Python code
    if key not in known:
        known[key] = _verdict_of(rule.ctx, call)
    return known[key]


@analysis
def _verdicts(ctx: Context) -> dict[int, Verdict | None]:
    return {}


def _verdict_of(ctx: Context, call: cst.Call) -> Verdict | None:
    qualname = ctx.call_name(call)
    if qualname is None or _is_owned_layer(qualname) or fused(ctx, call):
        return None
    entry = ctx.knowledge.entry(qualname)
    if entry is None:
        return None
    args, given = literal_args(ctx, call, entry.params), given_params(call, entry.params)
    norm = norm_verdict(ctx.knowledge, entry, call, args)
    if norm is not None:
        return norm
    if not entry.dtypes or not entry.params:  # the dtype cannot change the verdict
        return entry.verdict(args, given)
    tensor = argument(call, entry.params[0], 0)
    return dtype_verdict(ctx, entry, tensor, entry.params[0], args, given)


def alternative_advice(rule: Rule, verdict: Verdict) -> str:
    """". Builtin alternative: ..." where tools/find_alternatives.py verified one for the API (or the
    argument value that makes it fail), else ""."""
    name = alternatives.key(verdict.api, verdict.condition)
    found = alternatives.load(rule.ctx.knowledge.source).get(name)
    return f". Builtin alternative: {found.summary(name)}" if found and found.verdict != alternatives.NONE else ""


def alternatives_doc(knowledge: Knowledge, select: str) -> str:
    """The verified alternatives to the APIs whose status under Select TF ops is `select`."""
    lines = [f"- `{name}`: {alternative.summary(name)}" for name, alternative, verdict in alternatives.verified(knowledge)
             if verdict.status["select"] == select]
    return ("\n\n## Verified alternatives\nBuiltin-only rewrites that `python tools/find_alternatives.py` converted "
            "and compared with the original (rules/data/alternatives-tf*.toml):\n" + "\n".join(lines)) if lines else ""


def resolves_to(ctx: "Context", node: cst.CSTNode, name: str) -> bool:
    """Whether the bare name `name` (`tf`), read where `node` is, is that module: a fix may write it."""
    return resolve(cst.Name(name), ctx.scope(node)) == name


def _is_owned_layer(qualname: str) -> bool:
    name = keras_name(qualname)
    return name is not None and name.startswith("keras.layers.") and name.rsplit(".", 1)[1] in _LAYER_RULES_OWN


def api_triggers(knowledge: Knowledge, where: Mapping[str, tuple[str, ...]]) -> list[Trigger]:
    """Triggers for every API name and alias with a verdict whose status on each target (or
    "dynamic") of `where` is one of its statuses: a call names the API, and where only an argument
    value or an input dtype gives that verdict, the file holds what makes it (knowledge.Spellings)."""
    out = []
    for name, spellings in knowledge.names_with_status(where):
        if spellings == Spellings():
            out += named(name)
            continue
        out += [t for word in spellings.words for t in named(name, words=[word])]
        if spellings.makers:
            out.append(Trigger((parts(name),), makers=spellings.makers))
        for passing in spellings.passing:  # one trigger per word: each holds alone
            words = [frozenset({word}) for word in passing.words] or [frozenset()]
            out += [Trigger((parts(name),), spelled, passes=passing.params) for spelled in words]
    return out

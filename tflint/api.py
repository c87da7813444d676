"""The rule API: one small class per rule, carrying its code, docs and examples.

A rule defines `visit_<NodeType>(self, node)` methods for the libcst node types it
inspects (and optionally `finish(self)`). The engine walks each file once, collects the
nodes every enabled rule asked for and calls the methods in source order; a rule reports
through `self.ctx`. Its docstring is its documentation (headings in DOC_HEADINGS); its
VALID and INVALID examples are its tests: INVALID lines carry inline expectations
(`# TFL101`), exactly like fixtures. `triggers()` (and, where names are not enough,
`may_report()`) say what a file must hold for the rule to report there, so that files
holding nothing for any rule are never parsed with libcst (tflint/prefilter.py); they must
never drop a file the rule would report on, which tests/test_prefilter.py checks on every
example.
"""

from __future__ import annotations

import functools
import inspect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Iterable

import libcst as cst

from tflint.report.diagnostics import Severity

if TYPE_CHECKING:
    from tflint.context import Context
    from tflint.knowledge import Knowledge
    from tflint.source.prefilter import FileFacts, Trigger

DOC_HEADINGS = ("What it does", "Why it breaks in TFLite", "Example", "Use instead", "Evidence")


@dataclass(frozen=True)
class Example:
    """Source for a rule's tests; lines that must report end in `# TFLnnn`."""

    code: str
    target: str = "builtins"
    fixed: str | None = None  # the file after --fix, where the rule offers one


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]  # the default, under --target builtins
    VALID: ClassVar[tuple[Example, ...]] = ()
    INVALID: ClassVar[tuple[Example, ...]] = ()

    def __init__(self, ctx: "Context") -> None:
        self.ctx = ctx

    def finish(self) -> None:
        """Called after every node of the file was visited."""

    @classmethod
    def triggers(cls, knowledge: "Knowledge", target: str) -> Iterable["Trigger"] | None:
        """What a file must hold, for one of the triggers, for this rule to report there under `target`.

        A file that holds none of any enabled rule's triggers is not parsed with libcst at all
        (tflint/prefilter.py). Sound for names the rule resolves: a call of `tf.linalg.inv`
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
    def summary(cls) -> str:
        return cls.doc().split("\n", 1)[0]

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        parts = re.split(r"^## (.+)$", cls.doc(), flags=re.MULTILINE)
        return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}

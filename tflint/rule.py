"""The rule API: one small class per rule, carrying its code, docs and examples.

A rule defines `visit_<NodeType>(self, node)` methods for the libcst node types it
inspects (and optionally `finish(self)`). The engine walks each file once, collects the
nodes every enabled rule asked for and calls the methods in source order; a rule reports
through `self.ctx`. Its docstring is its documentation (headings in DOC_HEADINGS); its
VALID and INVALID examples are its tests: INVALID lines carry inline expectations
(`# TFL101`), exactly like fixtures.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Iterable

import libcst as cst

from .diagnostics import Severity

if TYPE_CHECKING:
    from .context import Context
    from .knowledge import Knowledge

DOC_HEADINGS = ("What it does", "Why it breaks in TFLite", "Example", "Use instead", "Evidence")


def words(*qualnames: str) -> list[frozenset[str]]:
    """Trigger sets for qualified names: their parts after `tf.` / `keras.` (see Rule.triggers)."""
    return [frozenset(name.split(".")[1:]) for name in qualnames]


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
    def triggers(cls, knowledge: "Knowledge") -> Iterable[frozenset[str]] | None:
        """Sets of identifiers, one of which must appear whole in a file for this rule to report there.

        A file in which no enabled rule's set appears is not parsed at all. Sound for names the
        rule resolves: every part of `tf.linalg.inv` after the root is spelled out somewhere in
        a file that calls it, in the call or in an import. None (the default): any file.
        """
        return None

    @classmethod
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

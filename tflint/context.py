"""What a rule sees of the file it checks, and how it reports."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable, TypeVar

import libcst as cst

from tflint.analysis import names
from tflint.report.diagnostics import ConstructorFlag, Related, Severity
from tflint.knowledge import Knowledge
from tflint.walk import Scope, WalkResult


@dataclass
class Report:
    node: cst.CSTNode
    code: str
    name: str
    severity: Severity
    message: str
    ops: tuple[str, ...] = ()  # every TF op the finding is about; the first is the JSON `op`
    fix: tuple[str, cst.CSTNode, cst.CSTNode] | None = None  # (title, node to replace, replacement)
    related: tuple[tuple[cst.CSTNode, str], ...] = ()
    scope: str | None = None  # the def it sits in, as the project index names it (reach.py)
    reach: str | None = None  # how the file's own call graph reaches that def (reach.py)
    layer_site: bool = False  # about a Keras layer built here, not an op run here (reach.py)
    fails_if_dynamic: str | None = None  # see Diagnostic
    fails_if_flag: ConstructorFlag | None = None  # see Diagnostic


@dataclass
class Context:
    path: str
    module: cst.Module
    target: str
    knowledge: Knowledge
    walked: WalkResult
    project: bool = False  # the run lints a project: code no model in this file reaches is judged later
    reports: list[Report] = field(default_factory=list)
    _qualnames: dict[cst.CSTNode, str | None] = field(default_factory=dict)
    _analyses: dict[Callable, object] = field(default_factory=dict)

    def scope(self, node: cst.CSTNode) -> Scope:
        """The scope a node is evaluated in (nodes the walk skipped: their nearest walked parent's)."""
        while node not in self.walked.scope_of:
            node = self.walked.parent[node]
        return self.walked.scope_of[node]

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.walked.parent.get(node)

    def qualname(self, node: cst.CSTNode) -> str | None:
        """`tf.nn.relu` for any spelling of it that resolves through imports, else None."""
        if node not in self._qualnames:
            self._qualnames[node] = names.resolve(node, self.scope(node))
        return self._qualnames[node]

    def call_name(self, node: cst.CSTNode) -> str | None:
        return self.qualname(node.func) if isinstance(node, cst.Call) else None

    def report(self, rule, node: cst.CSTNode, message: str, *, severity: Severity | None = None,
               op: str | tuple[str, ...] | None = None,
               fix: tuple[str, cst.CSTNode, cst.CSTNode] | None = None,
               related: tuple[tuple[cst.CSTNode, str], ...] = (), fails_if_dynamic: str | None = None,
               fails_if_flag: ConstructorFlag | None = None) -> None:
        ops = (op,) if isinstance(op, str) else tuple(op or ())
        self.reports.append(Report(node, rule.code, rule.name, severity or rule.severity, message, ops, fix, related,
                                   fails_if_dynamic=fails_if_dynamic, fails_if_flag=fails_if_flag))


T = TypeVar("T")


def analysis(compute: Callable[[Context], T]) -> Callable[[Context], T]:
    """An analysis of the whole file: computed once per file, when a rule or stage first asks."""

    @functools.wraps(compute)
    def once(ctx: Context) -> T:
        if once not in ctx._analyses:
            ctx._analyses[once] = compute(ctx)
        return ctx._analyses[once]

    return once


def related_in_file(path: str, spans, related: tuple[tuple[cst.CSTNode, str], ...]) -> tuple[Related, ...]:
    return tuple(Related(path, spans[node], message) for node, message in related if node in spans)

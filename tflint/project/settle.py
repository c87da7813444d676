"""Graph-code findings judged by the whole project, once every file is linted.

When a run lints more than one file, the engine leaves a finding in a def that no model of its
own file reaches (reach.py's LIBRARY and UNREACHED) to this step. With the project index:

- a def some entry point in any linted file reaches keeps its finding, with the chain of calls
  across files as related locations;
- a def nothing reaches gets, by the `unreached` setting, severity info (default) or nothing:
  its verdict depends on a model that is not in the run.

A file linted alone keeps reach.py's in-file answer. An RNN finding (TFL301) is dropped when
every model that reaches its def fixes the batch size where it is built.
"""

from __future__ import annotations

from dataclasses import replace

from tflint.project.index import Index, Step
from tflint.report.diagnostics import Diagnostic, FileResult, Related, Severity, Span

UNREACHED_SETTINGS = ("info", "ignore")
_UNREACHED_NOTE = " [info: no model in the linted files reaches this code]"
_JUDGED = ("library", "unreached")  # reach.py's LIBRARY and UNREACHED


def settle(results: list[FileResult], index: Index, unreached: str = "info") -> None:
    """Judge each result's findings in place."""
    for result in results:
        kept = (_settled(d, index, unreached) for d in result.diagnostics)
        result.diagnostics = [d for d in kept if d is not None]


def _settled(d: Diagnostic, index: Index, unreached: str) -> Diagnostic | None:
    if d.scope is None:
        return d
    node = (d.path, d.scope)
    if d.code == "TFL301" and _batch_fixed_by_every_model(index, node):
        return None
    if d.reach not in _JUDGED:
        return d
    if node in index.construction and not d.layer_site:
        return None  # ops a constructor runs eagerly become constants of the model
    if node in index.reached:
        return replace(d, related=tuple(map(_related, index.chain(node))) + d.related)
    if unreached == "ignore":
        return None
    return replace(d, severity=Severity.INFO, message=d.message + _UNREACHED_NOTE)


def _batch_fixed_by_every_model(index: Index, node: tuple[str, str]) -> bool:
    models = index.models_reaching(node)
    return bool(models) and all(index.fixes_batch(model) for model in models)


def _related(step: Step) -> Related:
    return Related(step.path, Span(step.line, step.col, step.line, step.col), step.message)

"""Graph-code findings judged by the whole project, once every file is linted.

When a run lints more than one file, the engine leaves a finding in a def that no model of its
own file reaches (reach.py's LIBRARY and UNREACHED) to this step. With the project index:

- a def some entry point in any linted file reaches keeps its finding, with the chain of calls
  across files as related locations;
- a def nothing reaches gets, by the `unreached` setting, severity info (default) or nothing:
  its verdict depends on a model that is not in the run.

A file linted alone keeps reach.py's in-file answer. An RNN finding (TFL301) is dropped when
every model that reaches its def fixes the batch size where it is built. A warning whose verdict
turns on the dynamic dimensions of a tensor the def's caller passes (Diagnostic.fails_if_dynamic:
TFL202, TFL203) is judged by the `keras.Input`s of the models that reach the def: an error when
each of them takes an input with the dynamic dimensions that make it fail, nothing when their
inputs are too static for any tensor made from them to fail. One that fails only where a flag its
class's constructor stores is true (Diagnostic.fails_if_flag: `use_causal_mask=self.causal`) is an
error by the inputs of the models that build the class with the flag true (a literal True, or the
parameter's default True where the call leaves it out); a warning where none does, or where the
index cannot tell.
"""

from __future__ import annotations

import os
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
    if d.fails_if_dynamic is not None and d.severity == Severity.WARNING:
        d = _judged_by_inputs(d, index, node)
        if d is None:
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


def _judged_by_inputs(d: Diagnostic, index: Index, node: tuple[str, str]) -> Diagnostic | None:
    """An error when every model that reaches the def and makes its own keras.Inputs (a task model
    built on a backbone's inputs makes none) takes one whose dynamic dimensions make it fail;
    nothing when every model that reaches it makes inputs too static for any tensor made from
    them to fail (only the batch dynamic, for "two": a length, even of batch 1, makes [1, ?, ?]
    attention masks). A finding that also needs a constructor flag (d.fails_if_flag) is judged by
    the models that build its class with the flag true, in the same way."""
    reaching = index.models_reaching(node)
    models = sorted(model for model in reaching if index.input_dynamic(model))
    fails, static = _CONDITIONS[d.fails_if_dynamic]
    if not models:
        return d
    if len(models) == len(reaching) and all(exact and static(batch, others) for m in models
                                            for batch, others, exact in index.input_dynamic(m)):
        return None
    built = _building_with_flag(d, index) if d.fails_if_flag else {}
    judged = sorted(model for model in built if index.input_dynamic(model)) if d.fails_if_flag else models
    if judged and all(any(fails(batch, others) for batch, others, _ in index.input_dynamic(m)) for m in judged):
        return _error(d, index, judged, built.get(judged[0]))
    return d


def _error(d: Diagnostic, index: Index, models: list[tuple[str, str]], built: Step | None) -> Diagnostic:
    """The error naming the first model (and `built`, where it builds the class with the flag true)."""
    path, owner = models[0]
    line = index.summaries[path]["defs"].get(owner, [0])[0]
    others = f" and {len(models) - 1} more" if len(models) > 1 else ""
    which = "every model that reaches this code" if built is None else (
        f"{built.message} at {os.path.basename(built.path)}:{built.line}; every model that builds it so")
    return replace(d, severity=Severity.ERROR, related=d.related + ((_related(built),) if built else ()), message=(
        f"{d.message} [the tensor comes from the caller, and {which} takes an input with "
        f"{_SAID[d.fails_if_dynamic]}: {owner} ({os.path.basename(path)}:{line}){others}]"))


def _building_with_flag(d: Diagnostic, index: Index) -> dict[tuple[str, str], Step]:
    """The models that reach a place building the finding's class with its flag true -> that place."""
    built: dict[tuple[str, str], Step] = {}
    for caller, step, value in index.flag_where_built(d.fails_if_flag, d.path):
        if value == "True":
            for model in sorted(index.models_reaching(caller)):
                built.setdefault(model, step)
    return built


# Diagnostic.fails_if_dynamic -> (an input that makes it fail, inputs with which nothing made from them can)
_CONDITIONS = {
    "any": (lambda batch, others: batch + others >= 1, lambda batch, others: batch + others == 0),
    "two": (lambda batch, others: batch + others >= 2, lambda batch, others: others == 0),
    "length": (lambda batch, others: others >= 1, lambda batch, others: others == 0),
}
_SAID = {"any": "a dynamic dimension", "two": "two or more dynamic dimensions",
         "length": "a dynamic dimension after the batch"}


def _batch_fixed_by_every_model(index: Index, node: tuple[str, str]) -> bool:
    models = index.models_reaching(node)
    return bool(models) and all(index.fixes_batch(model) for model in models)


def _related(step: Step) -> Related:
    return Related(step.path, Span(step.line, step.col, step.line, step.col), step.message)

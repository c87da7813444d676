"""Turn the worker's results into diagnostics: confirm or refute static findings, add TFL9xx.

Confirmation (docs/CONTRACTS.md `confirmed`):
- a static `error` claims conversion fails: true when a converter failure names its op or
  sits on its line; false when every model converted, or when the converter's refusals
  (which list every op it cannot convert) leave it out; unknown (None) when a different
  kind of failure (e.g. a TensorList that cannot be lowered) may have masked it.
- a static `warning`/`info` claims the model converts at a cost, usually an op: true when
  a converted model contains that op (builtin or Flex), false when every model converted
  without it, unknown when no model converted or the finding names no op.
The traced file's findings are judged whole; another file's (a helper, an installed package
the model is built from) only on the lines the model was built from.
"""

from __future__ import annotations

import functools
import os

from tflint import engine
from tflint.report.diagnostics import Diagnostic, Related, Severity, Span
from tflint.trace.enclosing import function_of, parse_file

_OP_LISTING_CODES = {"ERROR_NEEDS_FLEX_OPS", "ERROR_NEEDS_CUSTOM_OPS"}
_PROBLEM_WORDS = {
    "import": "importing the file raised {message}",
    "discovery": "{message}",
    "model": "building or tracing the model raised {message}",
    "memory": "ran out of memory: {message}",
    "timeout": "{message}; the process was killed",
    "crash": "{message}",
    "exit": "{message}",
}


def normalized_op(name: str) -> str:
    """MatrixInverse, FlexMatrixInverse, tf.MatrixInverse and MATRIX_INVERSE compare equal."""
    name = name.rsplit(".", 1)[-1]
    name = name[4:] if name.startswith("Flex") else name
    return name.replace("_", "").lower()


def real(path: str) -> str:
    return os.path.realpath(path)


@functools.lru_cache(maxsize=64)
def _tree(path: str):
    return parse_file(path)


def diagnostics_for(result: dict, static: list[Diagnostic], settings) -> list[Diagnostic]:
    """New TFL9xx diagnostics for one file's result; marks `static` in place: the findings of the
    traced file and of the other files of the run (those the model was built from are judged)."""
    path = result["path"]
    if "problem" in result:
        problem = result["problem"]
        message = "--trace: " + _PROBLEM_WORDS[problem["kind"]].format(message=problem["message"])
        return [_new(path, problem.get("line") or 1, "TFL903", message)]
    if not result["models"]:
        return [_new(path, 1, "TFL904", f"--trace: nothing to convert: {result['no_model']}")]
    from tflint.trace.measures import measured_diagnostics  # TFL907-909; it imports `_new` from here

    target = result["target"]  # the file's own, when a pragma names one
    lines = {(p, line) for m in result["models"] for p, line in m.get("lines", ())}
    judged = [d for d in static if _built_from(d, path, lines)]
    added: list[Diagnostic] = []
    for model in result["models"]:
        added.extend(_model_diagnostics(path, model, judged, target))
        added.extend(measured_diagnostics(path, model, settings))
    _confirm(judged, result["models"], path)
    return [d for d in added if settings.enabled(d.code, d.path)]


def _built_from(d: Diagnostic, traced: str, lines: set[tuple[str, int]]) -> bool:
    """A finding of the traced file, or on a line of another file that the model was built from."""
    if real(d.path) == real(traced):
        return True
    return any((real(d.path), line) in lines for line in range(d.span.line, d.span.end_line + 1))


def _model_diagnostics(path: str, model: dict, static: list[Diagnostic], target: str) -> list[Diagnostic]:
    name, line = model["name"], model["line"]
    if "error" in model:
        error = model["error"]
        if "input shape" in error["message"]:
            return [_new(path, line, "TFL904", f"--trace: {name}: {error['message']}")]
        return [_new(path, error.get("line") or line, "TFL903",
                     f"--trace: {name}: " + _PROBLEM_WORDS[error["kind"]].format(message=error["message"]))]
    note = route_note(model)
    if model.get("problem"):
        return [_new(path, line, "TFL903", f"--trace: {name}: {model['route']} could not run: {model['problem']}"
                                           f"{note}")]
    out = []
    way = _way_out_words(model)
    for failure in model.get("failures", ()):
        predicted = [d for d in static if _predicts_failure(d, failure)]
        for d in predicted:
            if way and way not in d.message:
                d.message += f" (--trace: {way})"
        if not predicted:
            out.append(_failure_diagnostic(path, model, failure, target, note + (f"; {way}" if way else "")))
    if model["converted"]:
        out.extend(_converted_diagnostics(path, model, static, target, note))
    return out


def route_note(model: dict) -> str:
    """` (from_keras_model could not run: ...; judged by ...)` when the user's route could not run."""
    tried = model.get("routes_tried") or ()
    if not tried:
        return ""
    why = "; ".join(f"{t['route']} could not run: {t['problem']}" for t in tried)
    return f" ({why}; judged by {model['route']})"


def _way_out_words(model: dict) -> str:
    way = model.get("way_out")
    if not way:
        return ""
    if way["converts"]:
        return f"way out: {way['fix']}"
    return f"no way out: it fails with {' and with '.join(way['tried'])} too"


def _failure_diagnostic(path: str, model: dict, failure: dict, target: str, note: str) -> Diagnostic:
    where = "" if failure.get("line") else " (no frame of its call stack is in the project)"
    message = (f"--trace: {model['name']} does not convert under --target {target} ({model['route']}): "
               f"{failure['message']} [{failure['code']}]{where}{note}")
    at_path, at_line = (failure["path"], failure["line"]) if failure.get("line") else (path, model["line"])
    related = _related(path, model, failure.get("chain") or [], (at_path, at_line))
    return _new(shown_path(at_path, path), at_line, "TFL901", message, op=failure["op"], related=related)


def _related(path: str, model: dict, frames: list, at: tuple) -> tuple[Related, ...]:
    """The chain from the traced model to the failing line, outermost first, the failing line left out."""
    steps = [(path, model["line"], f"the traced model {model['name']}")]
    for p, line in frames:
        steps.append((p, line, "on the way to the failing op"))
    out, seen = [], {(real(at[0]), at[1])}
    for p, line, words in steps:
        if (real(p), line) not in seen:
            seen.add((real(p), line))
            out.append(Related(shown_path(p, path), Span(line, 1, line, 1), words))
    return tuple(out)


def shown_path(path: str, traced: str) -> str:
    """A project path as the run names its files: the traced file as given, others relative when below
    the working folder, else absolute."""
    if real(path) == real(traced):
        return traced
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _converted_diagnostics(path: str, model: dict, static: list[Diagnostic], target: str,
                           note: str) -> list[Diagnostic]:
    out = []
    parity = model.get("parity", {})
    if "skipped" in parity:
        out.append(_new(path, model["line"], "TFL906", f"--trace: {model['name']} converts under --target "
                                                       f"{target}; numeric parity not checked: {parity['skipped']}"))
    elif not parity.get("ok", True) and target != "int8":  # int8's cost is measured as TFL907
        out.append(_mismatch(path, model, parity, target, note))
    predicted = {normalized_op(op) for d in static for op in d.ops}
    flex = [op for op in model.get("ops", ()) if op.startswith("Flex") and normalized_op(op) not in predicted]
    if flex:
        out.append(_new(path, model["line"], "TFL905",
                        f"--trace: {model['name']} converts under --target {target} with Select TF ops: "
                        f"{', '.join(flex)}"))
    return out


def _mismatch(path: str, model: dict, parity: dict, target: str, note: str) -> Diagnostic:
    matched = parity.get("matched_on") or []
    scope = (f"; computes the same on {' and on '.join(matched)}: the difference may lie outside the model's "
             f"domain") if matched else ""
    d = _new(path, model["line"], "TFL902",
             f"--trace: {model['name']} converts under --target {target} but computes something else: "
             f"max abs error {parity['max_abs']:.3g}, max error relative to the output scale "
             f"{parity['max_rel']:.3g} > tolerance {parity['tolerance']:g} ({parity['interpreter']}, on "
             f"{parity['inputs']}){scope}{note}")
    if not parity.get("in_domain", True):
        d.severity = Severity.WARNING
    return d


def _predicts_failure(d: Diagnostic, failure: dict) -> bool:
    """The static error names the failing op in the file the failure is in (or the failure has no
    place), sits on its line, or, for a failure that names no unsupported op (a construct that could
    not be lowered), sits in the same function. A warning predicts it only on its very line, by op."""
    if d.code.startswith("TFL0"):
        return False
    here, path, line = real(d.path), failure.get("path"), failure.get("line")
    same_file = path is None or real(path) == here
    names_op = failure["op"] is not None and normalized_op(failure["op"]) in {normalized_op(op) for op in d.ops}
    on_line = line is not None and path is not None and same_file and d.span.line <= line <= d.span.end_line
    if d.severity < Severity.ERROR:
        return on_line and names_op
    if (same_file and names_op) or on_line:
        return True
    if line is None or path is None or not same_file or failure["code"] in _OP_LISTING_CODES:
        return False
    scope = function_of(_tree(here), line)
    return scope is not None and scope == function_of(_tree(here), d.span.line)


def _confirm(static: list[Diagnostic], models: list[dict], traced: str) -> None:
    """Marks `static`; a finding one model confirmed stays confirmed whatever another model says."""
    judged = [m for m in models if "error" not in m and not m.get("problem")]
    if not judged:
        return
    failures = [f for m in judged for f in m.get("failures", ())]
    converted = [m for m in judged if m["converted"]]
    ops = {normalized_op(op) for m in converted for op in m.get("ops", ())}
    masked = any(f["code"] not in _OP_LISTING_CODES for f in failures)
    for d in static:
        if d.code.startswith("TFL0") or d.confirmed:
            continue
        if any(_predicts_failure(d, f) for f in failures):
            d.confirmed = True
            d.severity = Severity.ERROR  # a warning's condition held: the converter failed right there
        elif d.severity >= Severity.ERROR:
            if not masked:
                d.confirmed = False
        elif d.ops and converted:
            if any(normalized_op(op) in ops for op in d.ops):
                d.confirmed = True
            elif len(converted) == len(judged):
                d.confirmed = False


def refute(diagnostics: list[Diagnostic]) -> None:
    """The converter's word is final: a static error the trace refuted is no longer an error."""
    for d in diagnostics:
        if d.confirmed is False and d.severity >= Severity.ERROR:
            d.severity = Severity.INFO


def _new(path: str, line: int, code: str, message: str, op: str | None = None,
         related: tuple[Related, ...] = ()) -> Diagnostic:
    rule = engine.rule_by_code(code)
    return Diagnostic(path, Span(line, 1, line, 1), code, rule.name, rule.severity, message, op=op, related=related)

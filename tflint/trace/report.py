"""Turn the worker's results into diagnostics: confirm or refute static findings, add TFL9xx.

Confirmation (docs/CONTRACTS.md `confirmed`):
- a static `error` claims conversion fails: true when a converter failure names its op or
  sits on its line; false when every model converted, or when the converter's refusals
  (which list every op it cannot convert) leave it out; unknown (None) when a different
  kind of failure (e.g. a TensorList that cannot be lowered) may have masked it.
- a static `warning`/`info` claims the model converts at a cost, usually an op: true when
  a converted model contains that op (builtin or Flex), false when every model converted
  without it, unknown when no model converted or the finding names no op.
"""

from __future__ import annotations

from tflint import engine
from tflint.config import Settings
from tflint.report.diagnostics import Diagnostic, Severity, Span
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


def diagnostics_for(result: dict, static: list[Diagnostic], settings: Settings) -> list[Diagnostic]:
    """New TFL9xx diagnostics for one file's result; marks `static` (that file's findings) in place."""
    path = result["path"]
    if "problem" in result:
        problem = result["problem"]
        message = "--trace: " + _PROBLEM_WORDS[problem["kind"]].format(message=problem["message"])
        return [_new(path, problem.get("line") or 1, "TFL903", message)]
    if not result["models"]:
        return [_new(path, 1, "TFL904", f"--trace: nothing to convert: {result['no_model']}")]
    from tflint.trace.measures import measured_diagnostics  # TFL907-909; it imports `_new` from here

    target = result["target"]  # the file's own, when a pragma names one
    tree = parse_file(path)
    added: list[Diagnostic] = []
    for model in result["models"]:
        added.extend(_model_diagnostics(path, model, static, target, tree))
        added.extend(measured_diagnostics(path, model, settings))
    _confirm(static, result["models"], tree)
    return [d for d in added if settings.enabled(d.code, path)]


def _model_diagnostics(path: str, model: dict, static: list[Diagnostic], target: str, tree) -> list[Diagnostic]:
    name, line = model["name"], model["line"]
    if "error" in model:
        error = model["error"]
        if "input shape" in error["message"]:
            return [_new(path, line, "TFL904", f"--trace: {name}: {error['message']}")]
        return [_new(path, error.get("line") or line, "TFL903",
                     f"--trace: {name}: " + _PROBLEM_WORDS[error["kind"]].format(message=error["message"]))]
    if model.get("problem"):
        return [_new(path, line, "TFL903", f"--trace: {name}: {model['route']} could not run: {model['problem']}")]
    note = f" ({model['route_note']})" if model.get("route_note") else ""
    out = []
    for failure in model.get("failures", ()):
        if not any(_predicts_failure(d, failure, tree) for d in static):
            out.append(_failure_diagnostic(path, model, failure, target, note))
    if model["converted"]:
        out.extend(_converted_diagnostics(path, model, static, target, note))
    return out


def _failure_diagnostic(path: str, model: dict, failure: dict, target: str, note: str) -> Diagnostic:
    op = failure["op"]
    where = "" if failure["line"] else " (no frame of its call stack is in this file)"
    message = (f"--trace: {model['name']} does not convert under --target {target} ({model['route']}): "
               f"{failure['message']} [{failure['code']}]{where}{note}")
    return _new(path, failure["line"] or model["line"], "TFL901", message, op=op)


def _converted_diagnostics(path: str, model: dict, static: list[Diagnostic], target: str,
                           note: str) -> list[Diagnostic]:
    out = []
    parity = model.get("parity", {})
    if "ok" in parity and not parity["ok"] and target != "int8":  # int8's cost is measured as TFL907
        out.append(_new(path, model["line"], "TFL902",
                        f"--trace: {model['name']} converts under --target {target} but computes something else: "
                        f"max abs error {parity['max_abs']:.3g}, max error relative to the output scale "
                        f"{parity['max_rel']:.3g} > tolerance {parity['tolerance']:g} ({parity['interpreter']}, "
                        f"{parity['inputs']}){note}"))
    predicted = {normalized_op(op) for d in static for op in d.ops}
    flex = [op for op in model.get("ops", ()) if op.startswith("Flex") and normalized_op(op) not in predicted]
    if flex:
        out.append(_new(path, model["line"], "TFL905",
                        f"--trace: {model['name']} converts under --target {target} with Select TF ops: "
                        f"{', '.join(flex)}"))
    return out


def _predicts_failure(d: Diagnostic, failure: dict, tree) -> bool:
    """The static error names the failing op, sits on its line, or, for a failure that names
    no unsupported op (a construct that could not be lowered), sits in the same function."""
    if d.severity < Severity.ERROR or d.code.startswith("TFL0"):
        return False
    if failure["op"] is not None and normalized_op(failure["op"]) in {normalized_op(op) for op in d.ops}:
        return True
    line = failure["line"]
    if line is None:
        return False
    if d.span.line <= line <= d.span.end_line:
        return True
    if failure["code"] in _OP_LISTING_CODES:
        return False
    scope = function_of(tree, line)
    return scope is not None and scope == function_of(tree, d.span.line)


def _confirm(static: list[Diagnostic], models: list[dict], tree) -> None:
    judged = [m for m in models if "error" not in m and not m.get("problem")]
    if not judged:
        return
    failures = [f for m in judged for f in m.get("failures", ())]
    converted = [m for m in judged if m["converted"]]
    ops = {normalized_op(op) for m in converted for op in m.get("ops", ())}
    masked = any(f["code"] not in _OP_LISTING_CODES for f in failures)
    for d in static:
        if d.code.startswith("TFL0"):
            continue
        if d.severity >= Severity.ERROR:
            if any(_predicts_failure(d, f, tree) for f in failures):
                d.confirmed = True
            elif not masked:
                d.confirmed = False
        elif d.ops and converted:
            if any(normalized_op(op) in ops for op in d.ops):
                d.confirmed = True
            elif len(converted) == len(judged):
                d.confirmed = False


def _new(path: str, line: int, code: str, message: str, op: str | None = None) -> Diagnostic:
    rule = engine.rule_by_code(code)
    return Diagnostic(path, Span(line, 1, line, 1), code, rule.name, rule.severity, message, op=op)

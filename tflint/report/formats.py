"""Output formats: text (flake8's shape), json (docs/CONTRACTS.md), sarif (GitHub code scanning), github."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from tflint import __version__
from tflint.report import text
from tflint.report.diagnostics import Diagnostic, Severity, Span

FORMATS = ("text", "json", "sarif", "github")


def render(fmt: str, diagnostics: list[Diagnostic], *, target: str, files: int, traced: list | None = None,
           style: text.Style = text.Style()) -> str:
    """`traced`: what --trace traced (tflint.trace.summary, with the figures of tflint.trace.measures), None
    without --trace. `style`: colour and source lines, for the text format only."""
    if fmt == "text":
        return text.render(diagnostics, style) + _traced_text(traced)
    renderer: Callable[..., str] = {"json": _json, "sarif": _sarif, "github": _github}[fmt]
    return renderer(diagnostics, target=target, files=files, traced=traced)


def _traced_text(traced: list | None) -> str:
    """The text format's last lines under --trace: what was traced, and each model's figures."""
    if traced is None:
        return ""
    from tflint.trace.measures import figure_line
    from tflint.trace.summary import summary_line

    return "\n".join([summary_line(traced), *(figure_line(entry) for entry in traced if "memory" in entry)]) + "\n"


def summary(diagnostics: list[Diagnostic], files: int) -> dict:
    count = {s: sum(d.severity == s for d in diagnostics) for s in Severity}
    return {"files": files, "errors": count[Severity.ERROR], "warnings": count[Severity.WARNING],
            "infos": count[Severity.INFO]}


def _span(span: Span) -> dict:
    return {"line": span.line, "col": span.col, "end_line": span.end_line, "end_col": span.end_col}


def diagnostic_json(d: Diagnostic) -> dict:
    out = {"path": d.path, **_span(d.span), "code": d.code, "name": d.name, "severity": str(d.severity),
           "message": d.message}
    if d.op is not None:
        out["op"] = d.op
    out["confirmed"] = d.confirmed
    out["fix"] = None if d.fix is None else {"title": d.fix.title, **_span(d.fix.span), "content": d.fix.content}
    if d.related:
        out["related"] = [{"path": r.path, **_span(r.span), "message": r.message} for r in d.related]
    return out


def _json(diagnostics: list[Diagnostic], *, target: str, files: int, traced: list | None = None, **_) -> str:
    doc = {"tflint": __version__, "target": target, "diagnostics": [diagnostic_json(d) for d in diagnostics],
           "summary": summary(diagnostics, files)}
    if traced is not None:
        doc["trace"] = {"models": traced}
    return json.dumps(doc, indent=2) + "\n"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _artifact(path: str) -> dict:
    """Relative to the working folder where possible (what code scanning matches against), else an
    absolute file URI; percent-encoded either way, as a URI must be (a space is %20, a % is %25)."""
    absolute = Path(path).resolve()
    try:
        relative = absolute.relative_to(Path.cwd().resolve())
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": "%SRCROOT%"}


def _region(span: Span) -> dict:
    return {"startLine": span.line, "startColumn": span.col, "endLine": span.end_line, "endColumn": span.end_col}


def _location(path: str, span: Span, message: str | None = None, index: int | None = None) -> dict:
    loc = {"physicalLocation": {"artifactLocation": _artifact(path), "region": _region(span)}}
    if message is not None:
        loc["message"] = {"text": message}
    if index is not None:
        loc["id"] = index
    return loc


def _sarif_rules() -> list[dict]:
    from tflint.engine import all_rules

    return [{"id": r.code, "name": r.name, "shortDescription": {"text": r.summary()},
             "fullDescription": {"text": r.doc_sections().get("What it does", r.summary())},
             "help": {"text": r.doc(), "markdown": r.doc()},
             "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]}} for r in all_rules()]


def _sarif(diagnostics: list[Diagnostic], **_) -> str:
    rules = _sarif_rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for d in diagnostics:
        result = {"ruleId": d.code, "level": _SARIF_LEVEL[d.severity], "message": {"text": d.message},
                  "locations": [_location(d.path, d.span)]}
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.related:
            result["relatedLocations"] = [_location(r.path, r.span, r.message, i) for i, r in enumerate(d.related)]
        if d.confirmed is not None:
            result["properties"] = {"confirmed": d.confirmed}
        results.append(result)
    run = {"tool": {"driver": {"name": "tflint", "version": __version__,
                               "informationUri": "https://pypi.org/project/tflint/", "rules": rules}},
           "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
           "columnKind": "unicodeCodePoints",  # Span's columns count characters, not UTF-16 units
           "results": results}
    doc = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2) + "\n"


def _escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _github(diagnostics: list[Diagnostic], **_) -> str:
    lines = []
    for d in diagnostics:
        s = d.span
        props = (f"file={_escape(os.path.normpath(d.path), prop=True)},line={s.line},col={s.col},"
                 f"endLine={s.end_line},endColumn={s.end_col},title={_escape(f'{d.code} {d.name}', prop=True)}")
        lines.append(f"::{_GITHUB_LEVEL[d.severity]} {props}::{_escape(f'{d.code} {d.message}')}")
    return "\n".join(lines) + ("\n" if lines else "")

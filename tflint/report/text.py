"""The text format: flake8's line per finding; on request in colour (`--color`) and with the source
line and a caret under the span (`--show-source`), as ruff and flake8 show them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Mapping

from tflint.report.diagnostics import Diagnostic, Severity, Span

_MARK = {True: " [confirmed]", False: " [not confirmed by --trace]", None: ""}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
_SEVERITY_COLOR = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[34m"}


@dataclass(frozen=True)
class Style:
    color: bool = False
    # The file's lines by path (None where it cannot be read): given, the source line and a caret follow a finding.
    source: Callable[[str], list[str] | None] | None = None


def render(diagnostics: list[Diagnostic], style: Style = Style()) -> str:
    lines = []
    for d in diagnostics:
        lines.append(_finding(d, style.color))
        if style.source is not None:
            lines += _source(d, style.source(d.path), style.color)
        lines += [_paint(f"    {r.path}:{r.span.line}:{r.span.col}: note: {r.message}", _DIM, style.color)
                  for r in d.related]
    return "\n".join(lines) + ("\n" if lines else "")


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text


def _finding(d: Diagnostic, color: bool) -> str:
    path = _paint(d.path, _BOLD, color)
    code = _paint(d.code, _SEVERITY_COLOR[d.severity], color)
    return f"{path}:{d.span.line}:{d.span.col}: {code} {d.message}{_MARK[d.confirmed]}"


def _source(d: Diagnostic, lines: list[str] | None, color: bool) -> list[str]:
    """The finding's first line and a caret under its span there (to the line's end if it goes on)."""
    span: Span = d.span
    if not lines or not 0 < span.line <= len(lines):
        return []
    line = lines[span.line - 1]
    start = min(span.col - 1, len(line))
    end = span.end_col - 1 if span.end_line == span.line else len(line)
    # Tabs stay tabs under the caret, so it lines up however the terminal expands them.
    indent = "".join(c if c == "\t" else " " for c in line[:start])
    return [line, indent + _paint("^" * max(1, end - start), _SEVERITY_COLOR[d.severity], color)]


def color_wanted(choice: str, is_terminal: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """--color always|never decide; auto: FORCE_COLOR (non-empty) forces colour, else colour on a terminal
    unless NO_COLOR is set and non-empty (no-color.org)."""
    if choice != "auto":
        return choice == "always"
    if environ.get("FORCE_COLOR"):
        return True
    return is_terminal and not environ.get("NO_COLOR")

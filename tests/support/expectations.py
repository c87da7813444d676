"""Inline expectations, shared by rule examples and fixtures (flake8-bugbear's convention).

A line that must report ends in a comment of codes: `# TFL101`, `# TFL101 TFL201`, or
`# TFL101:error` to pin the severity too. A file's target comes from its own
`# tflint: target=select` pragma, as for any user file (tflint.engine.file_target).
"""

from __future__ import annotations

import re
from pathlib import Path

from tflint.config import Settings
from tflint.engine import lint_bytes

_EXPECT = re.compile(r"#\s*((?:TFL\d{3}(?::[a-z]+)?\s*)+)$")


def expected(source: str) -> set[tuple[int, str, str | None]]:
    """(line, code, severity or None) for every inline expectation."""
    out = set()
    for number, line in enumerate(source.splitlines(), 1):
        match = _EXPECT.search(line)
        if match:
            for token in match.group(1).split():
                code, _, severity = token.partition(":")
                out.add((number, code, severity or None))
    return out


def lint(source: str | bytes, target: str = "builtins", path: str = "example.py", fix: bool = False):
    data = source.encode() if isinstance(source, str) else source
    return lint_bytes(path, data, Settings(target=target), fix=fix)


def actual(diagnostics, expect: set) -> set[tuple[int, str, str | None]]:
    """Findings in the expectations' shape; severity kept only where the expectation pins one."""
    pinned = {(line, code) for line, code, severity in expect if severity}
    return {(d.span.line, d.code, str(d.severity) if (d.span.line, d.code) in pinned else None)
            for d in diagnostics}


def check_file(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    expect = expected(source)
    result = lint(source, path=str(path))
    assert actual(result.diagnostics, expect) == expect, "\n".join(
        f"{d.span.line}:{d.span.col} {d.code} {d.severity} {d.message}" for d in result.diagnostics)

"""What --diff and --show-fixes print: fixes as a unified diff, and as a list of the findings fixed."""

from __future__ import annotations

from tflint.report.diagnostics import Diagnostic


def unified_diff(path: str, old: bytes, new: bytes) -> str:
    """The change from `old` to `new` (a file's bytes) as `diff -u` shows it, `path` on both sides (as ruff)."""
    import difflib

    from tflint.source.parsing import decode  # loads libcst: only when there is a diff to show

    before, after = decode(old).text, decode(new).text
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), path, path)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def listing(diagnostics: list[Diagnostic], applied: bool) -> str:
    """One line per finding with a fix (`path:line:col: CODE title`), under a heading saying whether applied."""
    fixable = [d for d in diagnostics if d.fix is not None]
    if not fixable:
        return ""
    heading = f"Fixed {len(fixable)} finding(s):" if applied else f"{len(fixable)} finding(s) fixable with --fix:"
    lines = [f"  {d.path}:{d.span.line}:{d.span.col}: {d.code} {d.fix.title}" for d in fixable]
    return "\n".join([heading, *lines]) + "\n"

"""`tflint --list-ops [PATTERN]`: what the op knowledge says about each matching API, as text
lines; `--format json|markdown|html` gives the table of tflint/knowledge/table.py instead."""

from __future__ import annotations

from tflint import knowledge
from tflint.knowledge import CONVERTER_TARGETS, CONVERTS, Entry, Knowledge, Verdict, ops_page, table

FORMATS = ("text", "json", "markdown", "html")
_TABLES = {"json": table.render_json, "markdown": table.render_markdown, "html": ops_page.render}


def render(known: Knowledge, pattern: str, fmt: str = "text") -> tuple[str, int]:
    """The listing for `pattern` (an API name, alias, op name, substring or glob) and its exit code."""
    if fmt != "text":
        doc = table.document(known, pattern)
        return _TABLES[fmt](doc).rstrip("\n"), 0 if doc["rows"] else 1
    entries = known.apis(pattern)
    unprobed = known.unprobed_matching(pattern)
    lines = [f"# op knowledge for TensorFlow {known.tf_version} ({known.generated}): {len(entries)} API(s)"]
    for entry in entries:
        lines.extend(_entry_lines(entry, pattern))
    for api, reason in unprobed:
        lines.append(f"{api}  unknown: not probed ({reason})")
    return "\n".join(lines), 0 if entries or unprobed else 1


def _entry_lines(entry: Entry, pattern: str) -> list[str]:
    lines = _verdict_lines(entry.api, entry.base)
    aliases = [a for a in entry.aliases if pattern and pattern in a]
    if aliases and pattern not in entry.api:
        lines.insert(1, f"    matched alias: {', '.join(aliases)}")
    variants = [*(v for values in entry.when.values() for v in values.values()), *entry.given.values(),
                *entry.dtypes.values()]
    for verdict in variants:
        lines.extend(_verdict_lines(f"{entry.api}({verdict.condition})", verdict))
    return lines


def _verdict_lines(name: str, verdict: Verdict) -> list[str]:
    targets = "  ".join(f"{t}={verdict.status.get(t, knowledge.UNKNOWN)}" for t in CONVERTER_TARGETS)
    lines = [f"{name}  {targets}", f"    ops: {', '.join(verdict.ops) or '(none: folded or no TF op)'}"]
    for target in CONVERTER_TARGETS:
        if verdict.status.get(target) != CONVERTS and verdict.notes.get(target):
            lines.append(f"    {target}: {verdict.notes[target]}")
    if verdict.probe:
        lines.append(f"    probed with: {verdict.probe}")
    return lines

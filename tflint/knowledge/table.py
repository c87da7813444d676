"""`tflint --list-ops --format json|markdown|html`: the op knowledge as one table of rows.

A row is an API (or a Python syntax form on tensors, or an API that could not be probed) with
its verdict per target, the variants that change it (argument values, call forms, input dtypes,
shape kinds), the ops it emits, the converter's evidence, and the verified builtin alternative
(tflint/knowledge/alternatives.py). `rows` builds them as plain data; JSON and Markdown are
rendered here, the HTML page in ops_page.py.
"""

from __future__ import annotations

import json

from tflint.knowledge import CONVERTER_TARGETS, CONVERTS, FAILS, Entry, Knowledge, Verdict, alternatives

COLUMNS = (*CONVERTER_TARGETS, "dynamic")  # dynamic: builtins with a None first dimension on every input
COLUMN_TITLES = {"builtins": "builtins", "select": "select", "int8": "int8", "dynamic": "dynamic batch"}


def document(known: Knowledge, pattern: str = "") -> dict:
    """Everything the formats show: the version, the rows and the alternatives' coverage."""
    found = alternatives.load(known.source)
    api_rows = [_api_row(entry, found) for entry in known.apis(pattern)]
    syntax_rows = [_syntax_row(known, name) for name in known.syntax_names() if not pattern or pattern in name]
    unprobed = [{"kind": "unprobed", "name": api, "reason": reason} for api, reason in known.unprobed_matching(pattern)]
    failing = found.values()  # the generator writes an entry for every API failing under builtins
    return {
        "tensorflow": known.tf_version, "generated": known.generated,
        "alternatives": {"failing": len(failing), "verified": sum(a.verdict != alternatives.NONE for a in failing),
                         "exact": sum(a.verdict == alternatives.EXACT for a in failing)},
        "rows": [*api_rows, *syntax_rows, *unprobed],
    }


def _verdict(verdict: Verdict, found: dict[str, alternatives.Alternative] | None = None) -> dict:
    row = {"status": {t: verdict.status.get(t, "unknown") for t in COLUMNS}, "ops": list(verdict.ops),
           "evidence": {t: verdict.notes[t] for t in COLUMNS if verdict.status.get(t) != CONVERTS and verdict.notes.get(t)}}
    if verdict.probe:
        row["probe"] = verdict.probe
    if found is not None and verdict.status.get("builtins") == FAILS:
        alternative = found.get(alternatives.key(verdict.api, verdict.condition))
        row["alternative"] = _alternative(alternative) if alternative else None
    return row


def _alternative(alternative: alternatives.Alternative) -> dict:
    if alternative.verdict == alternatives.NONE:
        return {"verdict": alternative.verdict}
    shown = {"verdict": alternative.verdict, "use": alternative.use, "inputs": alternative.inputs,
             "max_error": alternative.max_error, "ops": list(alternative.ops)}
    return {**shown, "note": alternative.note} if alternative.note else shown


def _api_row(entry: Entry, found: dict[str, alternatives.Alternative]) -> dict:
    variants = [("argument", v) for values in entry.when.values() for v in values.values()]
    variants += [("call form", v) for v in entry.given.values()]
    variants += [("dtype", v) for v in entry.dtypes.values()]
    return {"kind": "api", "name": entry.api, "aliases": list(entry.aliases), **_verdict(entry.base, found),
            "variants": [{"kind": kind, "condition": v.condition, **_verdict(v, found)} for kind, v in variants]}


def _syntax_row(known: Knowledge, name: str) -> dict:
    syntax = known.syntax(name)
    variants = [{"kind": "shape and dtype", "condition": f"{dtype} {shape}", **_verdict(v)}
                for (shape, dtype), v in sorted(syntax.variants.items())]
    return {"kind": "syntax", "name": syntax.form, "aliases": [name], **_verdict(syntax.base), "variants": variants}


def render_json(doc: dict) -> str:
    return json.dumps(doc, indent=1)


def render_markdown(doc: dict) -> str:
    """One table: a line per API, one per variant below it (↳), unprobed APIs at the end."""
    coverage = doc["alternatives"]
    lines = [f"# Op knowledge for TensorFlow {doc['tensorflow']} ({doc['generated']})", "",
             f"Verified builtin alternatives: {coverage['verified']} of {coverage['failing']} APIs failing under "
             f"builtins ({coverage['exact']} exact).", "",
             "| API | " + " | ".join(COLUMN_TITLES[c] for c in COLUMNS) + " | ops | evidence | alternative |",
             "|---" * (len(COLUMNS) + 4) + "|"]
    for row in doc["rows"]:
        if row["kind"] == "unprobed":
            lines.append(_cells([f"`{row['name']}`", *["unknown"] * len(COLUMNS), "", f"not probed: {row['reason']}", ""]))
            continue
        aliases = f"<br>aka {', '.join(f'`{a}`' for a in row['aliases'])}" if row["aliases"] else ""
        lines.append(_markdown_line(f"`{row['name']}`{aliases}", row))
        lines.extend(_markdown_line(f"↳ `{v['condition']}`", v) for v in row["variants"])
    return "\n".join(lines) + "\n"


def _markdown_line(title: str, row: dict) -> str:
    evidence = "<br>".join(f"{target}: {text}" for target, text in row["evidence"].items())
    return _cells([title, *(row["status"][c] for c in COLUMNS), ", ".join(row["ops"]), evidence,
                   _markdown_alternative(row.get("alternative"))])


def _markdown_alternative(alternative: dict | None) -> str:
    if not alternative:
        return ""
    if alternative["verdict"] == alternatives.NONE:
        return "no builtin alternative found"
    code = "<br>".join(f"`{line}`" for line in alternative["use"].splitlines())
    note = f", for {alternative['note']}" if "note" in alternative else ""
    return f"{alternative['verdict']}{note}: max error {alternative['max_error']:g} on {alternative['inputs']}<br>{code}"


def _cells(cells: list[str]) -> str:
    """A Markdown table line; `|` and line breaks inside a cell would end it."""
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", "<br>") for c in cells) + " |"

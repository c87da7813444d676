"""A self-contained, offline HTML page (inline CSS and script, no external asset): what the op
table (`--list-ops --format html`) and the trace report (`--trace --report`) share.

Every text a page shows comes through `html.escape` (API names, converter messages, model
names and paths are untrusted text); the script, if any, only reads data attributes.
"""

from __future__ import annotations

from html import escape

BASE_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#fff}
header{background:#f4f6fa;border-bottom:1px solid #d5dae3;padding:10px 16px}
h1{font-size:18px;margin:0 0 4px}
.meta{margin:0 0 8px;color:#4a5468}
table{border-collapse:collapse;width:100%}
th{background:#e9edf4;text-align:left;padding:4px 8px}
td{padding:3px 8px;vertical-align:top;border-top:1px solid #eceff4}
code,pre{font:12px/1.35 ui-monospace,monospace}
pre{background:#f4f6fa;padding:6px;margin:4px 0;white-space:pre-wrap}
.v{font-weight:600;white-space:nowrap}
.converts{color:#17672c}.fails{color:#b3261e}.float{color:#9a5b00}.unknown{color:#6b7280}
"""


def page(title: str, style: str, body: list[str], script: str = "") -> str:
    """The whole document: `style` is added to BASE_STYLE, `body` holds already escaped HTML."""
    return "\n".join([
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{BASE_STYLE}{style}</style></head><body>",
        *body,
        (f"<script>{script}</script>" if script else "") + "</body></html>",
    ]) + "\n"


def data_attributes(data: dict[str, str]) -> str:
    """`data-key="value" ...`, the values escaped."""
    return " ".join(f'data-{key}="{escape(value)}"' for key, value in data.items())

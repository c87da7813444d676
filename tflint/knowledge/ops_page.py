"""`tflint --list-ops --format html`: the op table as one self-contained, offline page.

Inline CSS (over tflint/report/html_page.py's) and a few lines of plain JavaScript that search
(name, alias, op) and filter (verdict, target, alternative) by toggling `hidden` on each API's
<tbody> (`ops.html#resize` opens searched); the JavaScript only reads data attributes, and every
text from the knowledge (API names, converter messages with <, >, &, quotes) is escaped here.
"""

from __future__ import annotations

from html import escape

from tflint.knowledge.table import COLUMN_TITLES, COLUMNS
from tflint.report.html_page import data_attributes, page

VERDICTS = ("converts", "fails", "float", "unknown")
ALTERNATIVES = ("exact", "approximation", "none")

_STYLE = """
header{position:sticky;top:0;z-index:1}
.controls{display:flex;flex-wrap:wrap;gap:12px;align-items:center}
.controls input{width:22em;padding:4px 6px}
.controls select{padding:3px}
#count{color:#4a5468}
th{position:sticky;top:0}
tbody.api{border-top:2px solid #d5dae3}
.aliases,.kind{color:#5d6780;font-size:12px}
.ops{font-size:12px;color:#333b4d;max-width:24em}
.variant td:first-child{padding-left:24px}
.alt.exact{color:#17672c}.alt.approximation{color:#9a5b00}.alt.none{color:#6b7280}
details summary{cursor:pointer;color:#3056a8;font-size:12px}
dl{margin:4px 0}dt{font-weight:600}dd{margin:0 0 4px 12px}
"""

_SCRIPT = """
const rows = [...document.querySelectorAll('tbody.api')];
const search = document.getElementById('search'), target = document.getElementById('target');
const verdict = document.getElementById('verdict'), alternative = document.getElementById('alternative');
function apply() {
  const q = search.value.trim().toLowerCase(), t = target.value, v = verdict.value, a = alternative.value;
  let shown = 0;
  for (const row of rows) {
    const d = row.dataset;
    const ok = (!q || d.search.includes(q)) && (!v || (d[t || 'any'] || '').split(' ').includes(v))
      && (!a || d.alternative === a);
    row.hidden = !ok;
    shown += ok;
  }
  document.getElementById('count').textContent = shown + ' of ' + rows.length + ' shown';
  document.getElementById('empty').hidden = shown > 0;
}
for (const control of [search, target, verdict, alternative]) {
  control.addEventListener('input', apply);
  control.addEventListener('change', apply);  // a select's choice made by a script or a driver
}
if (location.hash) search.value = decodeURIComponent(location.hash.slice(1));  // ops.html#tf.image.resize
apply();
"""


def render(doc: dict) -> str:
    coverage = doc["alternatives"]
    title = f"TFLite op knowledge: TensorFlow {doc['tensorflow']}"
    apis = sum(row["kind"] == "api" for row in doc["rows"])
    return page(title, _STYLE, [
        f"<header><h1>{escape(title)}</h1>",
        f'<p class="meta">Generated {escape(doc["generated"])} by converting each API with the real converter '
        f"(tools/probe_ops.py): {apis} APIs. Verified builtin alternatives: {coverage['verified']} of "
        f"{coverage['failing']} APIs failing under builtins ({coverage['exact']} exact).</p>",
        '<div class="controls">',
        '<input id="search" type="search" placeholder="Search an API, alias or op" aria-label="search">',
        _select("target", "Target", [(c, COLUMN_TITLES[c]) for c in COLUMNS], "any target"),
        _select("verdict", "Verdict", [(v, v) for v in VERDICTS], "any"),
        _select("alternative", "Alternative", [(a, a) for a in ALTERNATIVES], "any"),
        '<span id="count"></span></div></header>',
        '<table id="ops"><thead><tr><th>API</th>' + "".join(f"<th>{COLUMN_TITLES[c]}</th>" for c in COLUMNS)
        + "<th>ops</th><th>builtin alternative</th></tr></thead>",
        *(_tbody(row, doc["tensorflow"]) for row in doc["rows"]),
        '</table><p id="empty" hidden>No API matches.</p>',
    ], _SCRIPT)


def _select(name: str, label: str, options: list[tuple[str, str]], anything: str) -> str:
    choices = "".join(f'<option value="{escape(value)}">{escape(text)}</option>' for value, text in options)
    return f'<label>{label} <select id="{name}"><option value="">{anything}</option>{choices}</select></label>'


def _tbody(row: dict, tf_version: str) -> str:
    if row["kind"] == "unprobed":
        return _unprobed(row)
    verdicts = [row, *row["variants"]]
    per_column = {c: " ".join(sorted({v["status"][c] for v in verdicts})) for c in COLUMNS}
    searched = " ".join([row["name"], *row["aliases"], *(op for v in verdicts for op in v["ops"])]).lower()
    alternative = row.get("alternative") or next((v["alternative"] for v in row["variants"] if v.get("alternative")), None)
    data = {"search": searched, **per_column, "any": " ".join(sorted(set(" ".join(per_column.values()).split()))),
            "alternative": alternative["verdict"] if alternative else ""}
    attributes = data_attributes(data)
    aliases = f'<div class="aliases">aka {escape(", ".join(row["aliases"]))}</div>' if row["aliases"] else ""
    kind = ' <span class="kind">Python syntax</span>' if row["kind"] == "syntax" else ""
    lines = [f'<tbody class="api" {attributes}>',
             _tr("main", f"<code>{escape(row['name'])}</code>{kind}{aliases}", row)]
    lines.extend(_tr("variant", f'↳ <code>{escape(v["condition"])}</code> <span class="kind">{escape(v["kind"])}</span>', v)
                 for v in row["variants"])
    lines.append(f'<tr class="more"><td colspan="{len(COLUMNS) + 3}">{_details(verdicts, tf_version)}</td></tr>')
    return "\n".join(lines) + "</tbody>"


def _tr(cls: str, title: str, verdict: dict) -> str:
    cells = "".join(f'<td class="v {escape(verdict["status"][c])}">{escape(verdict["status"][c])}</td>' for c in COLUMNS)
    return (f'<tr class="{cls}"><td>{title}</td>{cells}<td class="ops">{escape(", ".join(verdict["ops"]))}</td>'
            f"<td>{_alternative_cell(verdict.get('alternative'))}</td></tr>")


def _alternative_cell(alternative: dict | None) -> str:
    if not alternative:
        return ""
    if alternative["verdict"] == "none":
        return '<span class="alt none">no builtin alternative found</span>'
    *_, expression = alternative["use"].splitlines()
    return (f'<span class="alt {escape(alternative["verdict"])}">{escape(alternative["verdict"])}</span> '
            f"<code>{escape(expression)}</code>")


def _details(verdicts: list[dict], tf_version: str) -> str:
    items = [f"<dt>TensorFlow</dt><dd>{escape(tf_version)}</dd>"]
    for v in verdicts:
        where = f" ({v['condition']})" if "condition" in v else ""
        items.extend(f"<dt>{escape(target)} evidence{escape(where)}</dt><dd>{escape(text)}</dd>"
                     for target, text in v["evidence"].items())
        if v.get("probe") and not where:
            items.append(f"<dt>probed with</dt><dd><code>{escape(v['probe'])}</code></dd>")
        alternative = v.get("alternative")
        if alternative and alternative["verdict"] != "none":
            note = f", for {alternative['note']}" if "note" in alternative else ""
            items.append(f"<dt>builtin alternative{escape(where)}: {escape(alternative['verdict'])}{escape(note)}, "
                         f"max error {alternative['max_error']:g} on {escape(alternative['inputs'])}</dt>"
                         f"<dd><pre>{escape(alternative['use'])}</pre>converted ops: "
                         f"{escape(', '.join(alternative['ops']))}</dd>")
    return f"<details><summary>evidence and details</summary><dl>{''.join(items)}</dl></details>"


def _unprobed(row: dict) -> str:
    cells = "".join('<td class="v unknown">unknown</td>' for _ in COLUMNS)
    data = {"search": row["name"].lower(), **{c: "unknown" for c in COLUMNS}, "any": "unknown", "alternative": ""}
    attributes = data_attributes(data)
    return (f'<tbody class="api" {attributes}><tr class="main"><td><code>{escape(row["name"])}</code></td>{cells}'
            f'<td class="ops" colspan="2">not probed: {escape(row["reason"])}</td></tr></tbody>')

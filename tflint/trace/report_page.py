"""`tflint --trace --report PATH`: what was traced, as one self-contained, offline HTML page.

Per model (an entry of the JSON's `trace.models`, summary.py): the verdict, the routes tried and
what each gave, the converter's words on each failing op, the way out that converted, the .tflite
size, the ops with their support per target (op_support.py), numeric parity per output and the
int8 quantization error per output as inline SVG bar charts on a log scale with the tolerance
marked. Model names, paths and messages come from the user's code and the converter: all of it is
escaped (html_page.py).
"""

from __future__ import annotations

import math
import os
from html import escape
from pathlib import Path

from tflint import __version__
from tflint.cachefile import write_atomically
from tflint.knowledge import TARGETS, Knowledge
from tflint.report.html_page import page
from tflint.report.sizes import format_size
from tflint.trace.op_support import op_support
from tflint.trace.summary import summary_line

_STYLE = """
main{padding:0 16px 16px}
.toc{margin:4px 0;padding-left:20px}
section.model{border-top:2px solid #d5dae3;padding:8px 0}
h2{font-size:16px;margin:6px 0}h3{font-size:14px;margin:12px 0 4px}
.where{color:#5d6780;font-weight:400;font-size:13px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:4px 0}
dt{font-weight:600}dd{margin:0}
table.ops{width:auto;min-width:32em}table.ops td{vertical-align:baseline}
.kind{color:#5d6780;font-size:12px}
.v[title]{cursor:help;text-decoration:underline dotted}
.chart text{font:11px system-ui,sans-serif;fill:#1d2330}
.chart .axis{stroke:#c4cad6}.chart .tick{fill:#6b7280}
.chart .bar.ok{fill:#3b8f50}.chart .bar.over{fill:#c8463d}
.chart .tolerance{stroke:#b3261e;stroke-width:1.5;stroke-dasharray:4 3}.chart text.tolerance{fill:#b3261e;stroke:none}
"""
_COLOURED = ("converts", "fails")  # the other verdicts (no verdict, no model, could not run) are grey
_DECADES = (-8, 1)  # the charts' x axis: 1e-8 to 10, log scale


def render(traced: list[dict], known: Knowledge, quantization_tolerance: float) -> str:
    title = "tflint --trace report"
    return page(title, _STYLE, [
        f"<header><h1>{title}</h1>",
        f'<p class="meta">{escape(summary_line(traced))}. tflint {escape(__version__)}; op support from the op '
        f"knowledge of TensorFlow {escape(known.tf_version)}.</p>",
        _contents(traced) + "</header><main>",
        *(_section(i, entry, known, quantization_tolerance) for i, entry in enumerate(traced, 1)),
        "</main>" if traced else '<p class="empty">Nothing was traced: no file names TensorFlow or Keras.</p></main>',
    ])


def _verdict(verdict: str) -> str:
    return f'<span class="v {verdict if verdict in _COLOURED else "unknown"}">{escape(verdict)}</span>'


def _name(entry: dict) -> str:
    where = f"{entry['path']}:{entry['line']}" if entry.get("line") else entry["path"]
    model = f"<code>{escape(entry['model'])}</code> " if entry["model"] else ""
    return f'{model}<span class="where">{escape(where)}</span>'


def _contents(traced: list[dict]) -> str:
    items = "".join(f'<li>{_verdict(e["verdict"])} <a href="#model-{i}">{_name(e)}</a></li>'
                    for i, e in enumerate(traced, 1))
    return f'<ol class="toc">{items}</ol>' if items else ""


def _section(i: int, entry: dict, known: Knowledge, quantization_tolerance: float) -> str:
    parts = [f'<section class="model" id="model-{i}" data-verdict="{escape(entry["verdict"])}">',
             f"<h2>{_verdict(entry['verdict'])} {_name(entry)}</h2>", _facts(entry)]
    if entry.get("route"):
        parts.append(_routes(entry))
    if entry.get("failures"):
        parts.append(_failures(entry["failures"]))
    if entry.get("way_out"):
        parts.append(_way_out(entry["way_out"], entry["target"], known))
    if "ops" in entry:
        parts.append(f"<h3>Ops of the converted model</h3>{_ops_table(entry['ops'], entry['target'], known)}")
    if "parity" in entry:
        parts.append(_parity(entry["parity"]))
    if "quantization" in entry:
        parts.append(_quantization(entry["quantization"], quantization_tolerance))
    return "\n".join([*parts, "</section>"])


def _facts(entry: dict) -> str:
    facts = [("target", entry.get("target")), ("why", entry.get("reason"))]
    memory = entry.get("memory")
    if memory:
        facts.append(("size", f"{format_size(memory['model_bytes'])} ({memory['model_bytes']} bytes): weights "
                              f"{format_size(memory['weight_bytes'])}, activations at most "
                              f"{format_size(memory['activation_bytes'])}"))
    if "seconds" in entry:
        facts.append(("time", f"{entry['seconds']:.1f} s"))
    items = "".join(f"<dt>{name}</dt><dd>{escape(str(value))}</dd>" for name, value in facts if value is not None)
    return f'<dl class="facts">{items}</dl>'


def _routes(entry: dict) -> str:
    """The routes in the order tried: those that could not run, then the one that gave the verdict."""
    items = [f"<li><code>{escape(r['route'])}</code>: {_verdict('could not run')} {escape(r['problem'])}</li>"
             for r in entry.get("routes_tried", ())]
    items.append(f"<li><code>{escape(entry['route'])}</code>: {_verdict(entry['verdict'])}</li>")
    return f'<h3>Routes tried</h3><ol class="routes">{"".join(items)}</ol>'


def _failures(failures: list[dict]) -> str:
    items = []
    for f in failures:
        where = f" at {f['path']}:{f['line']}" if f.get("line") else ""
        op = f"<code>{escape(f['op'])}</code> " if f.get("op") else ""
        text = f"[{f['code']}]{where}: {f['message']}"
        items.append(f"<li>{op}{escape(text)}</li>")
    return f'<h3>Why it fails</h3><ul class="failures">{"".join(items)}</ul>'


def _way_out(way: dict, target: str, known: Knowledge) -> str:
    """The conversions tried for a failing model, in order; the last one converted when `converts`."""
    verdicts = ["fails"] * len(way["tried"])
    if way["converts"]:
        verdicts[-1] = "converts"
    items = "".join(f"<li>{escape(tried)}: {_verdict(v)}</li>" for tried, v in zip(way["tried"], verdicts))
    parts = [f'<h3>Way out</h3><ol class="way-out">{items}</ol>']
    if way.get("fix"):
        parts.append(f'<p class="fix">{escape(way["fix"])}</p>')
    if "ops" in way:
        converted_for = "select" if way["change"] == "Select TF ops" else target
        parts.append(f"<h3>Ops of the way out's model</h3>{_ops_table(way['ops'], converted_for, known)}")
    return "".join(parts)


def _ops_table(ops: list[str], converted_for: str, known: Knowledge) -> str:
    head = "<tr><th>op</th><th>kind</th>" + "".join(f"<th>{t}</th>" for t in TARGETS) + "</tr>"
    rows = []
    for op in ops:
        support = op_support(op, converted_for, known)
        cells = "".join(_status_cell(support.status[t], support.evidence.get(t, "")) for t in TARGETS)
        rows.append(f'<tr class="op"><td><code>{escape(op)}</code></td><td class="kind">{support.kind}</td>'
                    f"{cells}</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{len(TARGETS) + 2}">no op</td></tr>')
    return f'<table class="ops"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _status_cell(status: str, evidence: str) -> str:
    title = f' title="{escape(evidence)}"' if evidence else ""
    return f'<td class="v {escape(status)}"{title}>{escape(status)}</td>'


def _parity(parity: dict) -> str:
    if "skipped" in parity:
        return f'<h3>Numeric parity</h3><p class="skipped">not checked: {escape(parity["skipped"])}</p>'
    scope = "" if parity.get("in_domain", True) else " (only on some generated inputs)"
    text = (f"{'within' if parity['ok'] else 'over'} the tolerance {parity['tolerance']:g}{scope}: the largest "
            f"difference relative to the output's scale, per output, on {parity['inputs']}")
    bars = [(str(o["output"]), o["max_rel"]) for o in parity.get("outputs", ())]
    return f"<h3>Numeric parity</h3><p>{escape(text)}</p>{bar_chart(bars, parity['tolerance'], 'parity')}"


def _quantization(q: dict, tolerance: float) -> str:
    if "skipped" in q:
        return f'<h3>int8 quantization</h3><p class="skipped">not measured: {escape(q["skipped"])}</p>'
    text = (f"int8 error {q['error']:.2%} of the output range (tolerance {tolerance:g}) on {q['inputs']}; "
            f"the float model is {format_size(q['float_memory']['model_bytes'])}")
    bars = [(f"output {o['output']}", o["error"]) for o in q["outputs"]]
    problems = "".join(f"<li>{escape(p)}</li>" for p in q.get("problems", ()))
    layers = "".join(f"<li>{escape(layer['layer'])}{_line(layer)} kept in float: {layer['error_in_float']:.2%}</li>"
                     for layer in q.get("layers", ()))
    return "".join([f"<h3>int8 quantization</h3><p>{escape(text)}</p>", bar_chart(bars, tolerance, "quantization"),
                    f'<ul class="problems">{problems}</ul>' if problems else "",
                    f'<h3>The int8 error with one layer kept in float</h3><ol class="layers">{layers}</ol>' if layers else ""])


def _line(layer: dict) -> str:
    return f" (line {layer['line']})" if layer.get("line") else ""


def bar_chart(bars: list[tuple[str, float]], tolerance: float, cls: str) -> str:
    """One horizontal bar per (name, error), on a log scale from 1e-8 to 10, the tolerance a dashed line;
    the names on the left, the values in a column on the right."""
    label_w, plot_w, row_h, top = 160, 320, 22, 20
    width, height = label_w + plot_w + 80, top + row_h * len(bars) + 18

    def x(value: float) -> float:
        return label_w + plot_w * _position(value)

    parts = [f'<svg class="chart {cls}" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{cls} error per output">']
    for decade in range(_DECADES[0], _DECADES[1] + 1, 2):
        tx = x(10.0**decade)
        parts.append(f'<line class="axis" x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{height - 16}"/>'
                     f'<text class="tick" x="{tx:.1f}" y="{height - 4}" text-anchor="middle">1e{decade}</text>')
    for i, (name, value) in enumerate(bars):
        y = top + i * row_h
        state = "ok" if value <= tolerance else "over"
        parts.append(f'<text class="label" x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(_short(name))}'
                     f'</text><rect class="bar {state}" x="{label_w}" y="{y + 4}" width="{max(x(value) - label_w, 1):.1f}" '
                     f'height="{row_h - 8}"><title>{escape(name)}: {_number(value)}</title></rect>'
                     f'<text class="value" x="{label_w + plot_w + 8}" y="{y + 15}">{_number(value)}</text>')
    tx = x(tolerance)
    parts.append(f'<line class="tolerance" x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{height - 16}"/>'
                 f'<text class="tolerance" x="{tx:.1f}" y="{top - 8}" text-anchor="middle">tolerance {tolerance:g}</text>')
    return "".join(parts) + "</svg>"


def _position(value: float) -> float:
    """Where `value` falls on the axis, 0 to 1: 0 and below at the left, infinity and NaN at the right."""
    if math.isnan(value) or value == math.inf:
        return 1.0
    if value <= 0:
        return 0.0
    low, high = _DECADES
    return min(max((math.log10(value) - low) / (high - low), 0.0), 1.0)


def _number(value: float) -> str:
    return f"{value:.2g}"


def _short(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def unwritable(path: str) -> str | None:
    """Why the report cannot be written at `path` (checked before anything is traced), or None."""
    if path == "-":
        return "a file path is needed: stdout carries the findings"
    target = Path(path)
    if target.is_dir():
        return "is a folder"
    folder = target.parent
    if not folder.is_dir():
        return f"no folder {folder}"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot write in {folder}"
    if target.exists() and not os.access(target, os.W_OK):
        return "the file is read-only"
    return None


def write(path: str, html: str) -> None:
    """Written whole beside `path`, then renamed over it: never half a report. Its mode is what
    `open()` would give a new file (0o666 under the umask)."""
    umask = os.umask(0)
    os.umask(umask)
    write_atomically(Path(path), html.encode(), mode=0o666 & ~umask)

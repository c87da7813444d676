"""What --trace measured of each converted model, for the reader (no TensorFlow here): the
findings TFL907-TFL909 against the user's tolerance and budgets, the `quantization` and
`memory` entries of the JSON's `trace.models`, and one text line per model.
"""

from __future__ import annotations

from dataclasses import replace

from tflint.config import Settings
from tflint.report.diagnostics import Diagnostic, Related, Span
from tflint.report.sizes import format_size
from tflint.trace.report import _new

NAMED_LAYERS = 3  # layers a TFL907 names, best first
HELPS = 0.9  # a layer "costs" the error when keeping it in float leaves less than this share of it


def measured_diagnostics(path: str, model: dict, settings: Settings) -> list[Diagnostic]:
    out = []
    quantization = model.get("quantization", {})
    if quantization.get("problems"):
        out.append(_new(path, model["line"], "TFL908",
                        f"--trace: {model['name']}: the representative dataset "
                        f"{quantization.get('dataset', '')}() cannot calibrate it well: "
                        + "; ".join(quantization["problems"])))
    if quantization.get("error", 0.0) > settings.quantization_tolerance:
        out.append(_quantization_error(path, model, quantization, settings.quantization_tolerance))
    memory = model.get("memory")
    for budget, key, words in ((settings.max_model_size, "model_bytes", "its .tflite file is"),
                               (settings.max_arena, "activation_bytes", "its activations need")):
        if memory and budget is not None and memory[key] > budget:
            out.append(_new(path, model["line"], "TFL909",
                            f"--trace: {model['name']}: {words} {format_size(memory[key])} ({memory[key]} bytes), "
                            f"over the budget of {format_size(budget)} ({budget} bytes)"))
    return out


def _quantization_error(path: str, model: dict, q: dict, tolerance: float) -> Diagnostic:
    worst = max(q["outputs"], key=lambda o: o["error"])
    helping = [layer for layer in q.get("layers", ()) if layer["error_in_float"] < HELPS * q["error"]]
    named = helping[:NAMED_LAYERS]
    if named:
        way_out = "kept in float, " + ", ".join(
            f"{_layer(layer)} leaves {layer['error_in_float']:.1%}" for layer in named)
    else:
        tried = len(q.get("layers", ()))
        way_out = f"no single layer kept in float brings it below {HELPS:.0%} of that (tried {tried})"
    message = (f"--trace: {model['name']} loses {q['error']:.1%} of output {worst['output']}'s range under int8 "
               f"(max abs error {worst['max_abs']:.3g} over a range of {worst['range']:.3g}; "
               f"quantization-tolerance {tolerance:g}), on {q['inputs']}; {way_out}")
    d = _new(path, model["line"], "TFL907", message)
    related = tuple(Related(path, Span(layer["line"], 1, layer["line"], 1),
                            f"keeping layer {layer['layer']} in float leaves {layer['error_in_float']:.1%} "
                            f"of the output range (from {q['error']:.1%})")
                    for layer in named if layer.get("line"))
    return replace(d, related=related) if related else d


def _layer(layer: dict) -> str:
    return f"{layer['layer']} (line {layer['line']})" if layer.get("line") else layer["layer"]


def figures(model: dict) -> dict:
    """The model's `memory` and `quantization` entries for the JSON `trace.models` (docs/CONTRACTS.md)."""
    return {key: model[key] for key in ("memory", "quantization") if key in model}


def figure_line(entry: dict) -> str:
    """For a converted model's `trace.models` entry:
    `tflint --trace: m.py:12 model: 4.4 KB (weights 1.2 KB, activations 0.3 KB); int8 error ...`."""
    memory = entry.get("memory")
    text = f"tflint --trace: {entry['path']}:{entry['line']} {entry['model']}:"
    if memory:
        text += (f" {format_size(memory['model_bytes'])} (weights {format_size(memory['weight_bytes'])}, "
                 f"activations {format_size(memory['activation_bytes'])})")
    q = entry.get("quantization")
    if q and "skipped" in q:
        text += f"; int8 error not measured: {q['skipped']}"
    elif q:
        text += (f"; float {format_size(q['float_memory']['model_bytes'])}; int8 error {q['error']:.2%} of the "
                 f"output range on {q['held_out_samples']} held-out samples "
                 f"({'of ' + q['dataset'] + '()' if q.get('dataset') else 'random inputs'})")
    return text

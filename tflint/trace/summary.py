"""What was traced, for the reader: one entry per model (the JSON `trace` key) and one line of text."""

from __future__ import annotations

from tflint.trace.measures import figures
from tflint.trace.report import route_note, shown_path


def traced_models(results: list[dict]) -> list[dict]:
    """Per model: where it is, the target, the route that gave the verdict, the verdict, and what was
    measured of a converted one (its ops, parity per output; measures.py: memory, quantization) or
    why a failing one fails (the converter's words per op)."""
    out = []
    for result in results:
        if "problem" in result:
            out.append({"path": result["path"], "model": None, "verdict": "no verdict",
                        "reason": result["problem"]["message"]})
        elif not result["models"]:
            out.append({"path": result["path"], "model": None, "verdict": "no model", "reason": result["no_model"]})
        for model in result.get("models", ()):
            out.append(_entry(result["path"], result["target"], model))
    return out


def _entry(path: str, target: str, model: dict) -> dict:
    entry = {"path": path, "model": model["name"], "line": model["line"], "target": target,
             "route": model.get("route")}
    if "error" in model or model.get("problem"):
        reason = model["error"]["message"] if "error" in model else model["problem"]
        return {**entry, "verdict": "no verdict", "reason": reason + route_note(model)}
    entry["verdict"] = "converts" if model["converted"] else "fails"
    if model.get("routes_tried"):
        entry["routes_tried"] = model["routes_tried"]
    if model.get("failures"):
        entry["failures"] = [_failure(path, f) for f in model["failures"]]
    if model.get("way_out"):
        entry["way_out"] = model["way_out"]
    if "ops" in model:  # converted models
        entry["ops"] = model["ops"]
    if "parity" in model:
        entry["parity"] = {k: model["parity"][k] for k in ("ok", "max_rel", "tolerance", "inputs", "in_domain",
                                                           "outputs", "skipped") if k in model["parity"]}
    entry["seconds"] = round(model.get("seconds", 0.0), 3)
    return {**entry, **figures(model)}


def _failure(path: str, failure: dict) -> dict:
    """The converter's words on one failing op, and the project line it was placed at (None: nowhere)."""
    at = shown_path(failure["path"], path) if failure.get("line") else None
    return {"op": failure["op"], "code": failure["code"], "message": failure["message"], "path": at,
            "line": failure.get("line")}


def summary_line(traced: list[dict]) -> str:
    """`tflint --trace: 3 models in 2 files: 2 convert, 1 fail, 0 without a verdict (routes: ...)`."""
    files = len({m["path"] for m in traced})
    models = [m for m in traced if m["verdict"] != "no model"]
    counts = {v: sum(m["verdict"] == v for m in models) for v in ("converts", "fails", "no verdict")}
    routes = sorted({m["route"] for m in models if m.get("route") and m["verdict"] != "no verdict"})
    return (f"tflint --trace: {_n(len(models), 'model')} in {_n(files, 'file')}: {counts['converts']} convert, "
            f"{counts['fails']} fail, {counts['no verdict']} without a verdict"
            f"{' (routes: ' + ', '.join(routes) + ')' if routes else ''}")


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"

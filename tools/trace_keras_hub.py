"""`tflint --trace` on keras-hub models, against a bare conversion of the same model.

    python tools/trace_keras_hub.py [--only llama,bert] [--repeat N] [--json]

Run it with a Python that has tflint, TensorFlow 2.21, ai-edge-litert and keras-hub 0.32.0
(the pins of tools/keras_hub_audit.py). Each model of MODELS is built from its constructor with
the tiny config of keras_hub_audit.MODELS (no presets, no downloads), in a driver file of its
own (`build_model()`, as a user writes it). For each, in fresh processes:

- bare: import the driver, build the model and convert it by the route a user takes
  (`from_keras_model`; for dict inputs, on which it fails in TF 2.21, a functional wrapper
  taking the same inputs as a list), under builtins; the whole process timed. For a failing
  model, another (untimed) process converts it from a concrete function: the keras-hub lines
  its ConverterError names (`location.call[]`) are the reference for the failure's place.
- trace: `python -m tflint --trace --format json --no-cache DRIVER`, timed whole.

It checks that the two verdicts agree, and that every failing model's TFL901 (or confirmed
static error) sits on a keras-hub source line the converter names; it prints the overhead
(trace / bare wall time) per model and the median. Exit 1 if a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from keras_hub_audit import MODELS as CONFIGS  # noqa: E402  the tiny configs, one definition

# 14 models, 8 whose inputs are a dict (text backbones), 7 failing with their own shapes.
MODELS = ("llama", "mistral", "deberta_v3", "f_net", "bert", "gpt2", "roberta", "distil_bert",
          "swin", "resnet", "mobilenet", "efficientnet", "densenet", "csp_darknet")

BARE = r'''
import importlib.util, json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import keras, tensorflow as tf
from tensorflow.lite.python.convert_phase import ConverterError
spec = importlib.util.spec_from_file_location("driver", sys.argv[1])
driver = importlib.util.module_from_spec(spec)
spec.loader.exec_module(driver)
model = driver.build_model()
if sys.argv[2] == "bare":  # the route a user takes
    user_model = model
    if isinstance(model.input, dict):  # from_keras_model fails on dict inputs in TF 2.21: the list wrapper
        flat = keras.tree.flatten(model.input)
        inputs = [keras.Input(batch_shape=x.shape, dtype=x.dtype, name=x.name) for x in flat]
        user_model = keras.Model(inputs, model(keras.tree.pack_sequence_as(model.input, inputs)))
    conv = tf.lite.TFLiteConverter.from_keras_model(user_model)
else:  # "named": the keras-hub lines the converter names, from a concrete function of the model
    flat = keras.tree.flatten(model.input)
    specs = [tf.TensorSpec(x.shape, x.dtype, name=x.name) for x in flat]
    fn = tf.function(lambda *xs: model(keras.tree.pack_sequence_as(model.input, list(xs)), training=False))
    conv = tf.lite.TFLiteConverter.from_concrete_functions([fn.get_concrete_function(*specs)], model)
conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
try:
    conv.convert()
    print(json.dumps({"converts": True, "named": []}))
except ConverterError as e:
    named = sorted({(os.path.realpath(c.source.filename), c.source.line) for err in e.errors
                    for c in err.location.call if "/keras_hub/src/" in c.source.filename})
    print(json.dumps({"converts": False, "named": named}))
'''


def _value(value) -> str:
    """A constructor argument as Python source: nested keras-hub constructors as calls."""
    if isinstance(value, dict) and "class" in value:
        return _constructor(value)
    return repr(value)


def _constructor(spec: dict) -> str:
    import keras_hub

    module = "models" if hasattr(keras_hub.models, spec["class"]) else "layers"
    args = ", ".join(f"{k}={_value(v)}" for k, v in spec["args"].items())
    return f"keras_hub.{module}.{spec['class']}({args})"


def write_driver(folder: Path, name: str) -> Path:
    path = folder / f"{name}_model.py"
    path.write_text(f'"""keras-hub {name}, built from its constructor with a tiny config."""\n'
                    f"import keras_hub\n\n\ndef build_model():\n    return {_constructor(CONFIGS[name])}\n")
    return path


def _env() -> dict:
    return {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}


def bare(driver: Path, what: str = "bare") -> dict:
    """A fresh process converting the driver's model (`bare`: timed, whole process) or reading the
    lines the converter names (`named`)."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", BARE, str(driver), what], capture_output=True, text=True, env=_env())
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"bare conversion of {driver.name} failed: {proc.stderr.strip()[-300:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"converts": out["converts"], "seconds": seconds, "named": {tuple(x) for x in out["named"]}}


def traced(driver: Path) -> dict:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "tflint", "--trace", "--format", "json", "--no-cache", str(driver)],
                          capture_output=True, text=True, env=_env(), cwd=driver.parent)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"tflint --trace {driver.name} exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
    doc = json.loads(proc.stdout)
    [model] = doc["trace"]["models"]
    failing = [d for d in doc["diagnostics"] if d["code"] == "TFL901" or (d["confirmed"] and d["severity"] == "error")]
    return {"seconds": seconds, "model": model, "located": [(os.path.realpath(os.path.join(driver.parent, d["path"])),
                                                            d["line"]) for d in failing]}


def check(name: str, driver: Path, repeat: int) -> dict:
    """Bare and traced runs alternated `repeat` times (load from other processes hits both alike);
    the medians of their wall times."""
    runs = [(bare(driver), traced(driver)) for _ in range(repeat)]
    b, t = runs[0]
    named = set() if b["converts"] else bare(driver, "named")["named"]
    bare_seconds = statistics.median(r[0]["seconds"] for r in runs)
    trace_seconds = statistics.median(r[1]["seconds"] for r in runs)
    verdict = t["model"]["verdict"]
    row = {"model": name, "dict_inputs": "list-input wrapper" in (t["model"].get("route") or ""),
           "bare": "converts" if b["converts"] else "fails", "trace": verdict, "route": t["model"].get("route"),
           "bare_seconds": round(bare_seconds, 2), "trace_seconds": round(trace_seconds, 2),
           "overhead": round(trace_seconds / bare_seconds, 2), "located": [f"{p.split('/keras_hub/')[-1]}:{n}"
                                                                           for p, n in t["located"]]}
    row["verdict_agrees"] = (verdict == "converts") == b["converts"]
    row["located_on_named_line"] = b["converts"] or bool(t["located"]) and all(
        "/keras_hub/src/" in p and (p, n) in named for p, n in t["located"])
    if t["model"].get("way_out"):
        row["way_out"] = t["model"]["way_out"]["fix"] or "none converts"
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated names of MODELS")
    parser.add_argument("--repeat", type=int, default=1, help="bare and traced runs per model (medians)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or list(MODELS)
    if unknown := set(names) - set(CONFIGS):
        parser.error(f"unknown models: {', '.join(sorted(unknown))}")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            rows.append(check(name, write_driver(Path(folder), name), args.repeat))
            r = rows[-1]
            if not args.json:
                agrees = "ok" if r["verdict_agrees"] else "DISAGREE"
                print(f"{name:<13} bare {r['bare']:<8} trace {r['trace']:<8} {r['bare_seconds']:>6.2f} s "
                      f"{r['trace_seconds']:>6.2f} s {r['overhead']:.2f}x  {agrees}"
                      f"{'' if r['located_on_named_line'] else '  NOT LOCATED'} {' '.join(r['located'])}", flush=True)
    failing = [r for r in rows if r["bare"] == "fails"]
    summary = {"models": len(rows), "dict_inputs": sum(r["dict_inputs"] for r in rows), "failing": len(failing),
               "verdicts_agree": sum(r["verdict_agrees"] for r in rows),
               "failures_located": sum(r["located_on_named_line"] for r in failing),
               "median_overhead": statistics.median(r["overhead"] for r in rows),
               "median_overhead_failing": statistics.median(r["overhead"] for r in failing) if failing else None,
               "median_overhead_converting": statistics.median(r["overhead"] for r in rows if r["bare"] == "converts")
               if len(failing) < len(rows) else None}
    print(json.dumps({"rows": rows, "summary": summary}, indent=1) if args.json else json.dumps(summary))
    ok = summary["verdicts_agree"] == len(rows) and summary["failures_located"] == len(failing)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

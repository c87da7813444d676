"""Measure what `tflint --trace` costs beyond the bare converter call, and what sharing one
TensorFlow import across files saves.

    python tools/bench_trace.py [--repeat N]
    python tools/bench_trace.py --keras-hub [--repeat N]     # needs keras-hub 0.32.0 installed

1. In this process (TensorFlow imported once, timed separately): for each model, the median
   of N runs of the bare `TFLiteConverter.from_keras_model(m)` (or `from_concrete_functions`)
   + `.convert()`, against tflint's per-model step (`model_trace.trace_model`: the same
   conversion, plus reading the op list and the numeric parity run; when the verdict route
   fails, a trace of the model's call to locate the failure and the way-out conversions).
2. Whole files through worker processes: K case files through one shared worker, against
   one fresh worker per file (what a process per file would cost).
3. `--keras-hub`: `tflint --trace` on 14 keras-hub models, each in a fresh process, against a
   bare conversion of the same model in a fresh process (tools/trace_keras_hub.py): the
   overhead per model and its median; the verdicts and failure locations are checked too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "converter" / "trace_cases"
SHARED_FILES = ("functional_clean", "custom_layer", "helper_function", "module_inverse", "confirm_mixed")


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def per_model_overhead(repeat: int) -> None:
    start = time.perf_counter()
    import keras
    import tensorflow as tf

    print(f"TensorFlow import (once per worker): {time.perf_counter() - start:.2f} s")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)  # the converter's C++ logging, as in the worker
    from tflint.knowledge.targets import configure
    from tflint.trace.build_sites import Sites
    from tflint.trace.convert import concrete_function
    from tflint.trace.find_models import Model
    from tflint.trace.model_trace import input_specs, trace_model

    def keras_model(name, build):
        model = Model(name, 1, "keras", build())
        model.specs = input_specs(model, [])
        return model

    models = [
        keras_model("functional conv (tests/trace_cases/functional_clean)", lambda: _load("functional_clean").model),
        keras_model("MobileNetV2 alpha=0.35 96x96 (keras.applications, random weights)",
                    lambda: keras.applications.MobileNetV2((96, 96, 3), alpha=0.35, weights=None)),
        keras_model("custom layer with Erf (fails: two routes)", lambda: _load("custom_layer").model),
    ]
    serve = _load("helper_function").serve
    models.append(Model("tf.function with Erf (fails)", 1, "function", serve, list(serve.input_signature)))
    for model in models:
        def bare():
            if model.kind == "keras":
                conv = tf.lite.TFLiteConverter.from_keras_model(model.obj)
            else:
                conv = tf.lite.TFLiteConverter.from_concrete_functions([concrete_function(model)], tf.Module())
            configure(conv, "builtins")
            try:
                conv.convert()
            except Exception:  # the failing models: the bare call fails too, and costs what it costs
                pass

        bare()  # warm both paths once: the first conversion pays one-time tracing costs
        trace_model(model, "builtins", Sites())
        # Alternate the two so that load from other processes hits both alike.
        bare_times, trace_times, extra_times = [], [], []
        for _ in range(repeat):
            bare_times.append(_timed(bare)[0])
            seconds, out = _timed(lambda: trace_model(model, "builtins", Sites()))
            trace_times.append(seconds)
            extra_times.append(out["seconds"] - out["convert_seconds"])
        t_bare, t_trace = statistics.median(bare_times), statistics.median(trace_times)
        print(f"{model.name}: bare convert {t_bare:.3f} s, tflint per-model step {t_trace:.3f} s "
              f"({100 * (t_trace / t_bare - 1):+.0f}%); beyond its verdict conversion tflint spent "
              f"{statistics.median(extra_times):.3f} s ({100 * statistics.median(extra_times) / t_bare:.0f}% "
              f"of the bare call)", flush=True)


def _load(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"bench_{name}", CASES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shared_import_saving() -> None:
    from tflint import trace
    from tflint.config import Settings
    from tflint.trace import TraceOptions

    files = [str(CASES / f"{n}.py") for n in SHARED_FILES]
    timing: dict = {}
    start = time.perf_counter()
    trace.trace(files, Settings(), TraceOptions(), timing=timing)
    shared = time.perf_counter() - start
    start = time.perf_counter()
    for f in files:
        trace.trace([f], Settings(), TraceOptions())
    separate = time.perf_counter() - start
    print(f"{len(files)} files, one shared worker: {shared:.1f} s (its TensorFlow import "
          f"{timing['import_seconds'][0]:.1f} s); one worker per file: {separate:.1f} s; "
          f"saving {separate - shared:.1f} s ({100 * (1 - shared / separate):.0f}%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keras-hub", action="store_true", help="fresh-process overhead on keras-hub models")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.keras_hub:
        sys.path.insert(0, str(ROOT / "tools"))
        from trace_keras_hub import main as keras_hub_main

        keras_hub_main(["--repeat", str(args.repeat)])  # exits: 1 if a verdict or a location is wrong
        return
    shared_import_saving()
    per_model_overhead(args.repeat)


if __name__ == "__main__":
    main()

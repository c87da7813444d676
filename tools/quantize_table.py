"""The README's int8 table: `tflint --trace --target int8` on keras.applications models built with
random weights and a random representative dataset (50 images uniform in [0, 1): 40 calibrate,
10 are held out), the classifiers' logits as output, one fresh process per model, timed end to end.

    python tools/quantize_table.py [--samples 50]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Logits: with random weights a softmax is ~1/1000 everywhere, below one int8 step of its output.
LOGITS = "weights=None, classifier_activation=None)"
MODELS = {
    "MobileNetV2 alpha=0.35 96x96": "keras.applications.MobileNetV2((96, 96, 3), alpha=0.35, " + LOGITS,
    "MobileNetV3Small alpha=0.75 96x96": "keras.applications.MobileNetV3Small((96, 96, 3), alpha=0.75, " + LOGITS,
    "small CNN 32x32 (conv-bn-relu x2, pool, dense)": (
        "keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(16, 3), keras.layers.BatchNormalization(), "
        "keras.layers.ReLU(), keras.layers.Conv2D(32, 3, strides=2), keras.layers.BatchNormalization(), "
        "keras.layers.ReLU(), keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(10)])"),
}
FILE = '''import keras
import numpy as np

keras.utils.set_random_seed(0)
model = {build}
IMAGES = np.random.default_rng(0).uniform(0, 1, ({samples}, 1, *model.input_shape[1:])).astype(np.float32)


def representative_dataset():
    for image in IMAGES:
        yield [image]
'''


def _kb(n: int) -> str:
    return f"{n / 1024:.0f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()
    print("| model | int8 error (share of output range) | best layer kept in float | size float / int8 "
          "| weights int8 | activations int8 | check time |")
    print("|---|---|---|---|---|---|---|")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(ROOT)}
    for name, build in MODELS.items():
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "model.py"
            path.write_text(FILE.format(build=build, samples=args.samples))
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "tflint", "--trace", "--target", "int8", "--format", "json",
                                   "--no-cache", "--trace-timeout", "1800", "--select", "TFL9", str(path)],
                                  capture_output=True, text=True, env=env, cwd=folder)
            seconds = time.perf_counter() - start
        [entry] = json.loads(proc.stdout)["trace"]["models"]
        q, memory = entry["quantization"], entry["memory"]
        best = q["layers"][0] if q["layers"] else None
        kept = f"{best['layer']}: {best['error_in_float']:.3f}" if best else "-"
        print(f"| {name} | {q['error']:.3f} | {kept} | {_kb(q['float_memory']['model_bytes'])} / "
              f"{_kb(memory['model_bytes'])} | {_kb(memory['weight_bytes'])} | {_kb(memory['activation_bytes'])} "
              f"| {seconds:.0f} s |", flush=True)


if __name__ == "__main__":
    main()

"""The audit's judge (tools/audit.py): convert each reproduction with the real TFLite converter.

Reads the cases as JSON on stdin, prints one outcome per case as JSON: verdict `confirmed`
(ConverterError), `false-alarm` (it converted) or `unverified` (the reproduction did not trace).
"""

from __future__ import annotations

import json
import sys
import textwrap

import numpy as np
import tensorflow as tf
from tensorflow.lite.python.convert_phase import ConverterError

from tflint.knowledge.targets import configure
from tflint.trace.samples import CALIBRATION_SAMPLES, sample_inputs

# Input shapes to try, by API family: the first that traces is converted.
SPECS = {
    "tf.strings.": [tf.TensorSpec([2], tf.string)],
    "tf.image.": [tf.TensorSpec([1, 8, 8, 3], tf.float32)],
}
DEFAULT_SPECS = [tf.TensorSpec([4, 4], tf.float32), tf.TensorSpec([1, 8, 8, 3], tf.float32),
                 tf.TensorSpec([8], tf.float32)]


def _sample(spec: tf.TensorSpec) -> np.ndarray:
    if spec.dtype == tf.string:
        return np.array([b"ab", b"cde"][: spec.shape[0]])
    value = np.random.default_rng(0).random(spec.shape, dtype=np.float32)
    if len(spec.shape) == 2 and spec.shape[0] == spec.shape[1]:
        value += 4 * np.eye(spec.shape[0], dtype=np.float32)  # invertible, for tf.linalg
    return value


def _module(body: str, spec: tf.TensorSpec):
    namespace = {"tf": tf, "np": np, "keras": tf.keras}
    exec("class Repro(tf.Module):\n    def __call__(self, x):\n" + textwrap.indent(body, " " * 8), namespace)
    module = namespace["Repro"]()
    module.w = tf.Variable(_sample(spec))  # what `self.<attr>` read in the source: a layer weight
    function = tf.function(module.__call__, input_signature=[spec])
    return module, function.get_concrete_function()


def _convert(module, concrete, spec: tf.TensorSpec, target: str) -> None:
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete], module)
    configure(converter, target, lambda: (sample_inputs([spec], seed) for seed in range(CALIBRATION_SAMPLES)))
    converter.convert()


def judge(case: dict, target: str) -> dict:
    if not case["body"]:
        return {"verdict": "unverified", "detail": "no reproduction (arguments tflint cannot rebuild)"}
    specs = next((s for prefix, s in SPECS.items() if (case["api"] or "").startswith(prefix)), DEFAULT_SPECS)
    problems = []
    for spec in specs:
        try:
            module, concrete = _module(case["body"], spec)
        except Exception as e:  # this input does not fit the call: try the next shape
            problems.append(f"{type(e).__name__}: {str(e).splitlines()[0][:100] if str(e) else ''}")
            continue
        try:
            _convert(module, concrete, spec, target)
        except ConverterError as e:
            ops = sorted({err.operator.name for err in e.errors if err.operator.name})
            return {"verdict": "confirmed", "detail": f"ConverterError: {', '.join(ops) or str(e)[:120]}"}
        except Exception as e:
            return {"verdict": "unverified", "detail": f"converter raised {type(e).__name__}: {str(e)[:120]}"}
        return {"verdict": "false-alarm", "detail": f"converts under {target} (input {spec.shape} {spec.dtype.name})"}
    return {"verdict": "unverified", "detail": "does not trace: " + "; ".join(problems)}


def main() -> int:
    target = sys.argv[1]
    cases = json.load(sys.stdin)
    json.dump([judge(case, target) for case in cases], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

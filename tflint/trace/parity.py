"""Numeric parity: run the TensorFlow model and the converted model on the same inputs.

The error is measured per output (`outputs`) and the worst is kept: `max_abs` is the largest
absolute difference, `max_rel` that difference divided by the output's largest magnitude (scale-
relative, so outputs near zero don't blow it up). float32 targets must agree to 1e-3 of
the output scale; int8 is a lossy approximation, so its tolerance is loose (see TOLERANCE).

Inputs in the model's domain first: the file's own sample inputs or representative dataset
when it has them (a mismatch there is the verdict); else seeded inputs from DISTRIBUTIONS,
with integers bounded by the model's embeddings. A mismatch on generated inputs is checked on
the other distributions: it is `in_domain` only when it holds on every one of them (the
non-max suppression of random boxes, most of them with ymin > ymax, differs; valid boxes don't).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import tensorflow as tf

from tflint.trace.convert import KERAS_ROUTE, WRAPPER_ROUTE, Conversion, keras_inputs
from tflint.trace.find_models import Model
from tflint.trace.samples import DISTRIBUTIONS, cast, int_bound, own_samples, sample_inputs

TOLERANCE = {"builtins": 1e-3, "select": 1e-3, "gpu": 1e-3, "int8": 0.1}
PARITY_SEED = 1_000_003  # not one of the calibration seeds


@dataclass
class Parity:
    max_abs: float
    max_rel: float
    tolerance: float
    inputs: str  # the inputs the figures come from
    interpreter: str
    in_domain: bool = True  # False: the mismatch showed only on some generated inputs
    matched_on: list[str] = field(default_factory=list)  # other inputs, on which it computes the same
    outputs: list[dict] = field(default_factory=list)  # per output: {"output", "max_abs", "max_rel"}

    @property
    def ok(self) -> bool:
        return self.max_rel <= self.tolerance

    def to_json(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def compare(model: Model, verdict: Conversion, target: str) -> Parity:
    interpreter_name, runner = _runner(verdict.flatbuffer)
    names = _input_names(model, verdict, runner)
    tolerance = TOLERANCE[target]

    def measure(inputs: list[np.ndarray], description: str) -> Parity:
        outputs = _errors(_reference(model, inputs), runner(**dict(zip(names, inputs))))
        worst_abs = max((o["max_abs"] for o in outputs), default=0.0)
        worst_rel = max((o["max_rel"] for o in outputs), default=0.0)
        return Parity(worst_abs, worst_rel, tolerance, description, interpreter_name, outputs=outputs)

    own = own_samples(model.home, len(model.specs))
    if own is not None:
        name, batches = own
        results = [measure(cast(batch, model.specs), f"the file's own {name}") for batch in batches]
        return max(results, key=lambda p: p.max_rel)
    bound = int_bound(model.obj)
    results = []
    for distribution in DISTRIBUTIONS:
        results.append(measure(sample_inputs(model.specs, PARITY_SEED, distribution, bound),
                               f"seeded inputs: {distribution.describe(bound)}"))
        if results[0].ok:
            return results[0]
    worst = max(results, key=lambda p: p.max_rel)
    worst.matched_on = [p.inputs for p in results if p.ok]
    worst.in_domain = not worst.matched_on
    return worst


def _errors(expected_outputs, got: dict) -> list[dict]:
    """Per output, keyed as the signature: the largest absolute difference and that over the output's scale."""
    out = []
    for key, want in _flat(expected_outputs).items():
        have = np.asarray(got[key], dtype=np.float64)
        want = np.asarray(want, dtype=np.float64)
        if have.shape != want.shape or not np.array_equal(np.isfinite(have), np.isfinite(want)):
            out.append({"output": key, "max_abs": float("inf"), "max_rel": float("inf")})
            continue
        finite = np.isfinite(want)
        diff = float(np.max(np.abs(have - want)[finite], initial=0.0))
        scale = float(np.max(np.abs(want[finite]), initial=0.0))
        out.append({"output": key, "max_abs": diff, "max_rel": diff / scale if scale > 0 else diff})
    return out


def _input_names(model: Model, verdict: Conversion, runner) -> list[str]:
    """The converted model's signature input names, in the order of model.specs."""
    keys = list(runner.get_input_details())
    if verdict.route in (KERAS_ROUTE, WRAPPER_ROUTE):
        names = [spec.name for spec in model.specs]
        if set(names) == set(keys):
            return names
    elif verdict.concrete is not None:
        return [t.name.split(":")[0] for t in verdict.concrete.inputs[: len(model.specs)]]
    return keys


def _reference(model: Model, inputs: list[np.ndarray]):
    if model.kind == "keras":
        return model.obj(keras_inputs(model, inputs), training=False)
    return model.obj(*inputs)


def _flat(outputs) -> dict[str, np.ndarray]:
    """Outputs keyed like the converted model's signature: dict keys, else output_0, output_1, ..."""
    if isinstance(outputs, dict):
        return {k: np.asarray(v) for k, v in outputs.items()}
    return {f"output_{i}": np.asarray(v) for i, v in enumerate(tf.nest.flatten(outputs))}


def _runner(flatbuffer: bytes):
    """ai-edge-litert's interpreter; tf.lite's only when it cannot load the model. The signature runner
    resizes dynamic inputs and re-allocates tensors. Neither links the Flex delegate (TF 2.21): a model
    with Select TF ops gets no parity check, and the reason says so."""
    try:
        from ai_edge_litert.interpreter import Interpreter

        interpreter = Interpreter(model_content=flatbuffer)
        interpreter.allocate_tensors()
        return "ai_edge_litert", interpreter.get_signature_runner()
    except (ImportError, RuntimeError, ValueError):
        interpreter = tf.lite.Interpreter(model_content=flatbuffer)
        interpreter.allocate_tensors()
        return "tf.lite", interpreter.get_signature_runner()

"""Numeric parity: run the TensorFlow model and the converted model on the same inputs.

The error is measured per output and the worst is kept: `max_abs` is the largest absolute
difference, `max_rel` that difference divided by the output's largest magnitude (scale-
relative, so outputs near zero don't blow it up). float32 targets must agree to 1e-3 of
the output scale; int8 is a lossy approximation, so its tolerance is loose (see TOLERANCE).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import tensorflow as tf

from tflint.trace.convert import concrete_function
from tflint.trace.find_models import Model
from tflint.trace.samples import DESCRIPTION, sample_inputs

TOLERANCE = {"builtins": 1e-3, "select": 1e-3, "gpu": 1e-3, "int8": 0.1}
PARITY_SEED = 1_000_003  # not one of the calibration seeds


@dataclass
class Parity:
    max_abs: float
    max_rel: float
    tolerance: float
    inputs: str
    interpreter: str

    @property
    def ok(self) -> bool:
        return self.max_rel <= self.tolerance

    def to_json(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def input_names(model: Model, route: str) -> list[str]:
    """The converted model's signature input names, in the order of model.specs."""
    if route == "from_keras_model":
        return [t.name for t in model.obj.inputs]
    return [t.name.split(":")[0] for t in concrete_function(model).inputs[: len(model.specs)]]


def compare(model: Model, flatbuffer: bytes, names: list[str], target: str) -> Parity:
    inputs = sample_inputs(model.specs, PARITY_SEED)
    expected = _flat(_reference(model, inputs))
    interpreter_name, runner = _runner(flatbuffer)
    got = runner(**dict(zip(names, inputs)))
    worst_abs, worst_rel = 0.0, 0.0
    for key, want in expected.items():
        have = np.asarray(got[key], dtype=np.float64)
        want = np.asarray(want, dtype=np.float64)
        if have.shape != want.shape or not np.array_equal(np.isfinite(have), np.isfinite(want)):
            return Parity(float("inf"), float("inf"), TOLERANCE[target], DESCRIPTION, interpreter_name)
        finite = np.isfinite(want)
        diff = float(np.max(np.abs(have - want)[finite], initial=0.0))
        scale = float(np.max(np.abs(want[finite]), initial=0.0))
        worst_abs = max(worst_abs, diff)
        worst_rel = max(worst_rel, diff / scale if scale > 0 else diff)
    return Parity(worst_abs, worst_rel, TOLERANCE[target], DESCRIPTION, interpreter_name)


def _reference(model: Model, inputs: list[np.ndarray]):
    if model.kind == "keras":
        return model.obj(inputs[0] if len(inputs) == 1 else inputs, training=False)
    return model.obj(*inputs)


def _flat(outputs) -> dict[str, np.ndarray]:
    """Outputs keyed like the converted model's signature: dict keys, else output_0, output_1, ..."""
    if isinstance(outputs, dict):
        return {k: np.asarray(v) for k, v in outputs.items()}
    return {f"output_{i}": np.asarray(v) for i, v in enumerate(tf.nest.flatten(outputs))}


def _runner(flatbuffer: bytes):
    """ai-edge-litert's interpreter; tf.lite's (which links the Flex delegate) only when it cannot
    load the model. The signature runner resizes dynamic inputs and re-allocates tensors."""
    try:
        from ai_edge_litert.interpreter import Interpreter

        interpreter = Interpreter(model_content=flatbuffer)
        interpreter.allocate_tensors()
        return "ai_edge_litert", interpreter.get_signature_runner()
    except (ImportError, RuntimeError, ValueError):
        interpreter = tf.lite.Interpreter(model_content=flatbuffer)
        interpreter.allocate_tensors()
        return "tf.lite", interpreter.get_signature_runner()

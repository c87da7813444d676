"""A verified way out for a model that fails with its own shapes (runs in the worker).

Fixed shapes first (batch 1, and DYNAMIC_SIZE for the other `None` dimensions): dynamic shapes
are what keeps most real models from builtins (new-axis indexing, shape arithmetic). Then the
user's route under Select TF ops. Each claim is a conversion done here; the first that
converts is the fix-it.
"""

from __future__ import annotations

import tensorflow as tf

from tflint.trace.convert import CONCRETE_ROUTE, convert, model_ops
from tflint.trace.find_models import Model
from tflint.trace.samples import DYNAMIC_SIZE, concrete_shape


def way_out(model: Model, route: str, target: str) -> dict | None:
    """{"change", "fix", "converts", "tried", "ops"}: what converts (and the ops of what it converts
    to), and how to get there; None when nothing was tried (no dynamic dimension, and a target
    Select TF ops would not fit)."""
    tried = []
    if any(None in spec.shape.as_list() for spec in model.specs):
        fixed = [tf.TensorSpec(concrete_shape(s), s.dtype, name=s.name) for s in model.specs]
        conversion = convert(model, CONCRETE_ROUTE, target, fixed)
        if conversion.converted:
            return {"change": "fixed shapes", "shapes": [s.shape.as_list() for s in fixed],
                    "fix": _fixed_shape_fix(model), "converts": True, "tried": tried + ["fixed shapes"],
                    "ops": model_ops(conversion.flatbuffer)}
        tried.append("fixed shapes")
    if target == "builtins":
        conversion = convert(model, route, "select")
        if conversion.converted:
            return {"change": "Select TF ops", "fix": "converts with Select TF ops: --target select "
                    "(the app then ships the Flex delegate)", "converts": True, "tried": tried + ["Select TF ops"],
                    "ops": model_ops(conversion.flatbuffer)}
        tried.append("Select TF ops")
    return {"change": None, "fix": None, "converts": False, "tried": tried} if tried else None


def _fixed_shape_fix(model: Model) -> str:
    dims = [s.shape.as_list() for s in model.specs]
    changes = []
    if any(d and d[0] is None for d in dims):
        changes.append("a fixed batch of 1")
    if any(None in d[1:] for d in dims):
        changes.append(f"fixed lengths ({DYNAMIC_SIZE} here) for the other None dimensions")
    if model.kind == "keras":
        setting = " and ".join(["set batch_size=1" if "batch" in c else "set the lengths" for c in changes])
        return f"converts with {' and '.join(changes)}: {setting} on keras.Input"
    return f"converts with {' and '.join(changes)}: fix them in the input_signature"

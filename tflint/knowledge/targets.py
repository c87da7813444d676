"""What each target means to the converter: the one definition that --trace, the op-knowledge
generator (tools/probes), the audits and the tests all convert with.

Importing this module does not import TensorFlow; `configure` does, when called.
"""

from __future__ import annotations

from typing import Callable, Iterable

TARGETS = ("builtins", "select", "int8", "gpu")
CONVERTER_TARGETS = ("builtins", "select", "int8")  # the targets the converter itself knows
# The GPU delegate runs what converts with builtins (falling back to the CPU per op), so conversion
# under `gpu` is judged like `builtins`.
CONVERTER_TARGET = {"builtins": "builtins", "select": "select", "int8": "int8", "gpu": "builtins"}


def configure(converter, target: str, representative_dataset: Callable[[], Iterable] | None = None) -> None:
    """Set `converter` (a tf.lite.TFLiteConverter) up for `target`.

    builtins (and gpu): TFLite builtin ops only. select: builtins plus Select TF ops, with
    TensorList ops kept as Flex ops, as the converter's TensorList error tells Select users to do.
    int8: full-integer quantization, calibrated on `representative_dataset` (the converter
    itself refuses int8 without one).
    """
    import tensorflow as tf

    target = CONVERTER_TARGET[target]
    if target == "select":
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS]
        converter._experimental_lower_tensor_list_ops = False
    elif target == "int8":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.representative_dataset = representative_dataset
    else:
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]

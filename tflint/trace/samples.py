"""Seeded random inputs matching a signature: the int8 calibration data and the parity inputs.

Floats are uniform in [-1, 1); integers uniform in [0, 8) (small enough to index any
embedding); bools fair coins. A dynamic dimension becomes 1 for the batch (first) axis and
DYNAMIC_SIZE elsewhere; `--input-shape` fixes them explicitly.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

CALIBRATION_SAMPLES = 16
DYNAMIC_SIZE = 16
DESCRIPTION = "seeded random inputs (floats uniform in [-1, 1), integers in [0, 8))"


def concrete_shape(spec: tf.TensorSpec) -> list[int]:
    return [d if d is not None else (1 if i == 0 else DYNAMIC_SIZE) for i, d in enumerate(spec.shape.as_list())]


def sample_inputs(specs: list[tf.TensorSpec], seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [_sample(rng, spec) for spec in specs]


def _sample(rng: np.random.Generator, spec: tf.TensorSpec) -> np.ndarray:
    shape, dtype = concrete_shape(spec), spec.dtype
    if dtype.is_floating:
        return rng.uniform(-1.0, 1.0, shape).astype(dtype.as_numpy_dtype)
    if dtype.is_bool:
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.is_integer:
        return rng.integers(0, 8, shape).astype(dtype.as_numpy_dtype)
    raise ValueError(f"cannot make sample inputs of dtype {dtype.name}")

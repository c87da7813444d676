"""Seeded inputs matching a signature: the int8 calibration data and the parity inputs.

Inputs come from a distribution: floats uniform in [-1, 1) (the default), in [0, 1), or in
[0, 1) sorted along the last axis (rows such as boxes `[ymin, xmin, ymax, xmax]` are then
valid); integers uniform in [0, bound), the bound being the smallest embedding or vocabulary
size the model accepts (8 at most); bools fair coins. A dynamic dimension becomes 1 for the
batch (first) axis and DYNAMIC_SIZE elsewhere; `--input-shape` fixes them explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import tensorflow as tf

CALIBRATION_SAMPLES = 16
DYNAMIC_SIZE = 16
INT_BOUND = 8


@dataclass(frozen=True)
class Distribution:
    low: float
    high: float
    sorted_rows: bool = False

    def describe(self, int_bound: int) -> str:
        rows = ", sorted along the last axis" if self.sorted_rows else ""
        return f"floats uniform in [{self.low:g}, {self.high:g}){rows}, integers in [0, {int_bound})"


UNIFORM = Distribution(-1.0, 1.0)
DISTRIBUTIONS = (UNIFORM, Distribution(0.0, 1.0), Distribution(0.0, 1.0, sorted_rows=True))


def concrete_shape(spec: tf.TensorSpec) -> list[int]:
    return [d if d is not None else (1 if i == 0 else DYNAMIC_SIZE) for i, d in enumerate(spec.shape.as_list())]


def sample_inputs(specs: list[tf.TensorSpec], seed: int, distribution: Distribution = UNIFORM,
                  int_bound: int = INT_BOUND) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [_sample(rng, spec, distribution, int_bound) for spec in specs]


def _sample(rng: np.random.Generator, spec: tf.TensorSpec, distribution: Distribution, int_bound: int) -> np.ndarray:
    shape, dtype = concrete_shape(spec), spec.dtype
    if dtype.is_floating:
        values = rng.uniform(distribution.low, distribution.high, shape)
        return (np.sort(values, axis=-1) if distribution.sorted_rows and shape else values).astype(dtype.as_numpy_dtype)
    if dtype.is_bool:
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.is_integer:
        return rng.integers(0, int_bound, shape).astype(dtype.as_numpy_dtype)
    raise ValueError(f"cannot make sample inputs of dtype {dtype.name}")


def int_bound(model_obj) -> int:
    """The largest integer any input may take, exclusive: the smallest Embedding's `input_dim`."""
    import keras

    if not isinstance(model_obj, keras.Model):
        return INT_BOUND
    sizes = [layer.input_dim for layer in model_obj._flatten_layers() if isinstance(layer, keras.layers.Embedding)]
    return max(1, min([INT_BOUND, *sizes]))


OWN_SAMPLE_NAMES = ("SAMPLE_INPUTS", "sample_inputs", "EXAMPLE_INPUTS", "example_inputs", "representative_dataset")
OWN_SAMPLES_LIMIT = 4  # batches read from a representative dataset


def own_samples(namespace: dict, count: int) -> tuple[str, list[list[np.ndarray]]] | None:
    """The file's own inputs: `(name, [flat inputs, ...])` from a module-level SAMPLE_INPUTS-like
    value (a tensor, a list or dict of tensors, or a callable returning one) or a representative
    dataset (a generator function yielding such values); None when the file has none."""
    for name in OWN_SAMPLE_NAMES:
        value = namespace.get(name)
        if value is None:
            continue
        if callable(value):
            value = value()
        batches = _batches(value)
        usable = [b for b in batches if len(b) == count]
        if usable:
            return name, usable
    return None


def cast(batch: list[np.ndarray], specs: list[tf.TensorSpec]) -> list[np.ndarray]:
    """The file's own inputs in the dtypes of the signature."""
    return [np.asarray(x).astype(spec.dtype.as_numpy_dtype) for x, spec in zip(batch, specs)]


def _batches(value) -> list[list[np.ndarray]]:
    if isinstance(value, (np.ndarray, tf.Tensor)):
        return [[np.asarray(value)]]
    if isinstance(value, dict):
        return [[np.asarray(v) for v in tf.nest.flatten(value)]]
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, (np.ndarray, tf.Tensor)) for v in value):
        return [[np.asarray(v) for v in value]]
    if hasattr(value, "__iter__") and not isinstance(value, (str, bytes)):  # a generator of batches
        out = []
        for item in value:
            out.extend(_batches(item))
            if len(out) >= OWN_SAMPLES_LIMIT:
                break
        return out
    return []

"""Building a call for an API from its signature: which arguments are tensors, which are Python values.

Tensor arguments become inputs of the traced function (never constants: the converter folds
ops on constants away, which would hide the op). A `Plan` is one way to call the API; the
prober tries plans in order until one traces into a graph with at least one real op.
"""

from __future__ import annotations

import inspect
import itertools
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import tensorflow as tf

MAX_PLANS = 60  # an API no plan fits costs ~20 ms per failed trace
# Tensor layouts tried in order; dims are >= 2 so index 1 is valid everywhere.
PROFILES = (
    (tf.float32, (2, 4, 4, 3)),
    (tf.float32, (4, 4)),
    (tf.float32, (2, 4, 3)),
    (tf.float32, (4,)),
    (tf.int32, (4, 4)),
    (tf.string, (4,)),
    (tf.bool, (4, 4)),
    (tf.float32, ()),
    (tf.int32, (4,)),
    (tf.complex64, (4, 4)),
    (tf.float32, (2, 4, 4, 4, 3)),
    (tf.int64, (4,)),
)
INT_NAMES = {"box_ind", "box_indices", "input_sizes", "image_size", "index", "branch_index", "targets", "indices", "segment_ids", "ids", "sp_ids", "seq_lengths", "sequence_length", "lengths",
             "row_lengths", "row_splits", "value_rowids", "nrows", "block_shape", "crops", "splits"}
# Python values for parameters that are configuration, not data (first value tried first).
PY_VALUES: dict[str, tuple] = {
    "axis": (-1, 0, None, [-1]), "axes": ([1], 1), "shift": (1,),  # tf.roll: a literal in real code (audit) "dim": (-1,), "dims": ([2, 3],), "keepdims": (False,), "num_partitions": (2,),
    "ksizes": ([1, 2, 2, 2, 1], [1, 2, 2, 1]), "block_shape": ([2],), "crops": ([[0, 0]],),
    "dtype": (tf.float32, tf.int32), "out_type": (tf.int32,), "output_type": (tf.int32,),
    "shape": ([2, 3], [4, 4], [-1]), "seed": (1, [1, 2]), "Tout": (tf.float32,), "stride": (1,),
    "sequence_length": (4,), "sequence_stride": (2,), "N": (3,), "indices_or_sections": (2,), "source": (0,),
    "destination": (1,), "axis1": (0,), "axis2": (1,), "repeats": (2,), "reps": ([2, 1],), "output_shape": ([2, 4, 4, 2],), "size": ([2, 2], 2), "ksize": (2,), "pool_size": (2,), "window_shape": ([2, 2],),
    "strides": (1, [1, 1, 1, 1], [1, 1, 1, 1, 1]), "padding": ("SAME", [[1, 1], [1, 1]]), "dilations": (1,), "rate": (0.5,),
    "rates": ([1, 1, 1, 1],), "sizes": ([1, 2, 2, 1],), "pooling_type": ("MAX",),
    "num": (2,), "k": (2,), "depth": (3,), "num_segments": (4,), "num_or_size_splits": (2,),
    "perm": ([1, 0],), "multiples": ([2, 1],), "paddings": ([[1, 1], [1, 1]],),
    "begin": ([0, 0],), "end": ([1, 1],), "equation": ("ij,jk->ik",), 
    "data_format": (None, "NHWC"), "frame_length": (4,), "frame_step": (2,), "fft_length": ([4],),
    "num_lower": (1,), "num_upper": (1,), "max_delta": (0.1,), "delta": (0.1,), "lower": (0.5,),
    "upper": (1.5,), "factor": (0.5,), "contrast_factor": (0.5,), "gamma": (1.0,), "num_classes": (4,),
    "num_true": (1,), "num_sampled": (2,), "range_max": (10,), "unique": (True,), "sep": (" ",),
    "pattern": ("a",), "rewrite": ("b",), "pos": (0,), "len": (1,), "num_buckets": (10,),
    "input_encoding": ("UTF-8",), "output_encoding": ("UTF-8",), "unit": ("BYTE",), "target_shape": ([2, 2],),
    "num_rows": (3,), "num_columns": (3,), "batch_shape": (None,), "bins": (4,), "nbins": (4,),
    "value_range": ([0.0, 1.0],), "block_size": (2,), "clip_value_min": (0.0,),
    "clip_value_max": (1.0,), "clip_norm": (1.0,), "ord": ("euclidean", 2),
    "start": (0,), "limit": (4,), "stop": (4,), "base": (2.0,), "alpha": (0.5,),
    "beta": (0.5,), "epsilon": (1e-3,), "variance_epsilon": (1e-3,), "offset_height": (0,),
    "offset_width": (0,), "target_height": (2,), "target_width": (2,), "crop_size": ([2, 2],),
    "central_fraction": (0.5,), "fraction": (0.5,), "num_bits": (8,), "min": (0.0,), "max": (1.0,),
    "frame_lengths": (4,), "dct_type": (2,), "n": (4, None), "norm": (None,), "inverse": (False,),
    "sample_rate": (16000.0,), "num_mel_bins": (4,), "num_spectrogram_bins": (3,),
    "lower_edge_hertz": (20.0,), "upper_edge_hertz": (4000.0,), "window_length": (4,),
    "max_outputs": (1,), "max_output_size": (2,), "iou_threshold": (0.5,), "score_threshold": (0.1,),
    "max_output_size_per_class": (2,), "max_total_size": (2,), "num_samples": (2,), "logits_dimension": (4,),
    "pooling_ratio": ([1.0, 1.44, 1.73, 1.0],), "mode": (None,), "method": (None,), "antialias": (False,), "name": (None,),
}
# Parameters that take a list of tensors: tried as two inputs in a list.
LIST_NAMES = {"values", "t_list", "tensors", "inputs", "xs", "arrays", "loop_vars", "coeffs", "x", "input"}
# Parameters that take Python callables (control flow): a small body over the data.
CALLABLES: dict[str, Callable] = {
    "fn": lambda *a: a[-1] * 2.0 if len(a) == 1 else a[0] + a[1], "true_fn": lambda: tf.constant(1.0),
    "false_fn": lambda: tf.constant(0.0), "default": lambda: tf.constant(0.0), "func": lambda *a: a[0],
    "cond": lambda *v: tf.reduce_sum(v[0]) < 10.0, "body": lambda *v: [t + 1.0 for t in v],
    "branch_fns": [lambda: tf.constant(1.0), lambda: tf.constant(0.0)],
}
# Name-specific shapes that make common signatures valid together.
SHAPE_HINTS = {"pred": (), "bias": (3,), "seed": (2,), "branch_index": (), "true_classes": (4, 1),"filters": (2, 2, 3, 2), "filter": (2, 2, 3, 2), "depthwise_filter": (2, 2, 3, 1),
               "pointwise_filter": (1, 1, 3, 2), "kernel": (2, 2, 3, 2), "boxes": (4, 4), "scores": (4,),
               "box_indices": (4,), "perm": (2,), "targets": (4,),
               "on_value": (), "off_value": ()}  # a non-scalar traces, then the converter rejects it


@dataclass
class Plan:
    """One way to call an API: the input signature, sample values and the Python call."""

    specs: list[tf.TensorSpec]
    kwargs_for: Callable[[list[tf.Tensor]], tuple[list, dict]]
    describe: str
    extra_kwargs: dict[str, Any] = field(default_factory=dict)
    # What the plan chose besides the tensor layout (list form, Python values, composite), so a
    # variant of a probe (another dtype, an optional argument given) can make the same choice.
    choice: tuple = ()
    profile: tuple | None = None  # (dtype, shape) of the tensor inputs; None for composites, overrides

    def samples(self, count: int = 3) -> list[list[np.ndarray]]:
        return [[sample(s) for s in self.specs] for _ in range(count)]


def sample(spec: tf.TensorSpec) -> np.ndarray:
    shape = spec.shape.as_list()
    if spec.dtype == tf.string:
        return np.full(shape, b"ab", dtype=object)
    if spec.dtype == tf.bool:
        return np.ones(shape, dtype=bool)
    if spec.dtype.is_integer:
        return np.ones(shape, dtype=spec.dtype.as_numpy_dtype)
    if spec.dtype.is_complex:
        return (np.random.uniform(0.1, 0.9, shape) + 0j).astype(spec.dtype.as_numpy_dtype)
    return np.random.uniform(0.1, 0.9, shape).astype(spec.dtype.as_numpy_dtype)


def required_params(fn) -> list[inspect.Parameter]:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return []
    return [p for p in sig.parameters.values()
            if p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
            and p.name != "self"]


def _optional_params(fn) -> list[str]:
    try:
        return [p.name for p in inspect.signature(fn).parameters.values() if p.default is not inspect.Parameter.empty]
    except (TypeError, ValueError):
        return []


# Optional parameters defaulting to None that are configuration, not tensors.
NOT_TENSORS = {"name", "dtype", "seed", "axis", "out", "sorted", "layout", "shape", "data_format", "padding",
               "partition_strategy", "output_type", "out_type", "preferred_element_type"}


def optional_tensor_params(fn) -> list[str]:
    """Optional parameters that may take a tensor (default None, not configuration): the call
    forms to probe besides the required arguments (`keras.ops.where(c)` vs `where(c, x, y)`)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in params if p.default is None and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
            and p.name not in NOT_TENSORS and p.name not in PY_VALUES and p.name not in CALLABLES]


def has_var_positional(fn) -> bool:
    try:
        return any(p.kind == p.VAR_POSITIONAL for p in inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return False


def _tensor_spec(name: str, profile) -> tf.TensorSpec:
    dtype, shape = profile
    if name in INT_NAMES:
        dtype = tf.int32
    elif name == "true_classes":
        dtype = tf.int64
    elif name == "pred":
        dtype = tf.bool
    shape = SHAPE_HINTS.get(name, shape)
    return tf.TensorSpec(shape, dtype, name=name)


def plans(fn, extra_kwargs: dict[str, Any] | None = None, given: tuple[str, ...] = (),
          profiles: tuple = PROFILES) -> list[Plan]:
    """Candidate calls, most likely first: each tensor layout x each Python-value choice.
    `given`: optional parameters passed as tensors too (by keyword)."""
    extra = dict(extra_kwargs or {})
    extra.update({name: CALLABLES[name] for name in _optional_params(fn) if name in CALLABLES and name not in extra})
    params = [p for p in required_params(fn) if p.name not in extra]
    callables = {p.name: CALLABLES[p.name] for p in params if p.name in CALLABLES}
    tensor_params = [p.name for p in params if p.name not in PY_VALUES and p.name not in CALLABLES] + list(given)
    py_params = [p.name for p in params if p.name in PY_VALUES]
    var_positional = has_var_positional(fn) and not tensor_params
    py_choices = list(itertools.islice(itertools.product(*(PY_VALUES[n] for n in py_params)), 4))
    listed = [n for n in tensor_params if n in LIST_NAMES]
    out = []
    for as_list in ([False, True] if listed else [False]):  # plain calls in every layout first
        for profile in profiles:
            for index, values in enumerate(py_choices):
                names = tensor_params or (["inputs", "inputs2"] if var_positional else [])
                if as_list:
                    names = [m for n in names for m in ((n, n + "_2") if n in LIST_NAMES else (n,))]
                specs = [_tensor_spec(n.removesuffix("_2"), profile) for n in names]
                py = {**dict(zip(py_params, values)), **callables}
                text = f"{profile[0].name}{list(profile[1])}{' as lists' if as_list else ''} {dict(zip(py_params, values)) or ''}"
                out.append(Plan(specs, _binder(params, tensor_params, py, var_positional, extra,
                                               listed if as_list else [], given),
                                text.strip(), extra, (as_list, index), profile))
    out = out[:MAX_PLANS]
    if tensor_params:  # last resorts: the first tensor parameter as a SparseTensor / RaggedTensor
        for kind in COMPOSITES:
            specs = [*COMPOSITES[kind][0], *(_tensor_spec(n, (tf.float32, (4, 4))) for n in tensor_params[1:])]
            py = {**dict(zip(py_params, py_choices[0])), **callables}
            out.append(Plan(specs, _composite_binder(kind, _binder(params, tensor_params, py, var_positional, extra, [], given)),
                            f"{tensor_params[0]} as {kind} float32, others float32[4, 4] {py or ''}".strip(), extra,
                            (kind,)))
    return out


# Composite inputs built from plain inputs: (specs, builder from those inputs).
COMPOSITES = {
    "SparseTensor": ([tf.TensorSpec((3, 2), tf.int64, name="indices"), tf.TensorSpec((3,), tf.float32, name="values")],
                     lambda i, v: tf.sparse.SparseTensor(i, v, dense_shape=[4, 4])),
    "RaggedTensor": ([tf.TensorSpec((6,), tf.float32, name="values")],
                     lambda v: tf.RaggedTensor.from_row_splits(v, [0, 2, 6])),
}


def _composite_binder(kind, bind):
    specs, build = COMPOSITES[kind]

    def composite(tensors):
        first = build(*tensors[:len(specs)])
        return bind([first, *tensors[len(specs):]])
    return composite


def _binder(params, tensor_params, py, var_positional, extra, listed, given):
    def bind(tensors):
        tensors = list(tensors)
        by_name = {}
        for name in tensor_params:
            by_name[name] = [tensors.pop(0), tensors.pop(0)] if name in listed else tensors.pop(0)
        args = [by_name[p.name] if p.name in by_name else py[p.name] for p in params
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        kwargs = {p.name: by_name.get(p.name, py.get(p.name)) for p in params if p.kind == p.KEYWORD_ONLY}
        if var_positional:
            args.extend(tensors)  # what is left: the inputs for *args
        kwargs.update({name: by_name[name] for name in given})
        kwargs.update(extra)
        return args, kwargs
    return bind


_F = tf.TensorSpec((4, 4), tf.float32, name="x")
# CTC decoders: logits [max_time, batch, classes] and one sequence length per batch item.
_CTC = [tf.TensorSpec((4, 2, 3), tf.float32, name="inputs"), tf.TensorSpec((2,), tf.int32, name="sequence_length")]
# APIs whose arguments no table can describe (Python callbacks with `inp`/`Tout`, CTC layouts).
OVERRIDES = {
    **{name: Plan([_F], lambda t: ([lambda a: a * 2, [t[0]], tf.float32], {}), f"{name}(lambda a: a * 2, [x], tf.float32)")
       for name in ("tf.py_function", "tf.numpy_function")},
    **{name: Plan(_CTC, lambda t: ([t[0], t[1]], {}), "float32[4, 2, 3], int32[2]")
       for name in ("tf.nn.ctc_greedy_decoder", "tf.nn.ctc_beam_search_decoder", "tf.compat.v1.nn.ctc_beam_search_decoder")},
}

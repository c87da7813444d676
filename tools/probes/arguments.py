"""Building a call for an API from its signature: which arguments are tensors, which are Python values.

Tensor arguments become inputs of the traced function (never constants: the converter folds
ops on constants away, which would hide the op). A `Plan` is one way to call the API; the
prober tries plans in order until one traces into a graph with at least one real op.
"""

from __future__ import annotations

import inspect
import itertools
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

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
    "axis": (-1, 0, None, [-1]), "axes": ([1], 1), "shift": (1,),  # shift: tf.roll's is a literal in real code (audit)
    "dim": (-1,), "dims": ([2, 3],), "keepdims": (False,), "num_partitions": (2,),
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
               "on_value": (), "off_value": (), "constant_values": ()}  # a non-scalar traces, then the
# converter rejects it (a padding value of the input's shape made keras.ops.pad's PadV2 "fail")


class T(NamedTuple):
    """A tensor argument's layout for one API (ARGS): its shape, its dtype when it is not the
    profile's, and how the API's argument is built from that input (a SparseTensor ...)."""

    shape: tuple
    dtype: tf.DType | None = None
    build: Callable[[tf.Tensor], Any] | None = None
    sample: Any = None  # the value calibration and folding feed (encoded image bytes ...)


class Py(tuple):
    """Python values for one API's argument (ARGS), tried in order, as PY_VALUES by name."""

    def __new__(cls, *values):
        return super().__new__(cls, values)


@dataclass
class Make:
    """A value made anew for each call (a Keras cell: one object per traced graph); `text` describes it."""

    make: Callable[[], Any]
    text: str

    def __repr__(self) -> str:
        return self.text


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
    fixed: dict[str, Any] = field(default_factory=dict)  # input name -> the sample it must have

    def samples(self, count: int = 3) -> list[list[np.ndarray]]:
        return [[sample(s, self.fixed.get(s.name)) for s in self.specs] for _ in range(count)]


def sample(spec: tf.TensorSpec, fixed: Any = None) -> np.ndarray:
    shape = spec.shape.as_list()
    if fixed is not None:
        return np.asarray(fixed, dtype=object if spec.dtype == tf.string else spec.dtype.as_numpy_dtype)
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


def _tensor_spec(name: str, profile, hints: dict | None = None) -> tf.TensorSpec:
    dtype, shape = profile
    hint = (hints or {}).get(name)
    if isinstance(hint, T):
        return tf.TensorSpec(hint.shape, hint.dtype or dtype, name=name)
    if name in INT_NAMES:
        dtype = tf.int32
    elif name == "true_classes":
        dtype = tf.int64
    elif name == "pred":
        dtype = tf.bool
    shape = SHAPE_HINTS.get(name, shape)
    return tf.TensorSpec(shape, dtype, name=name)


def plans(fn, extra_kwargs: dict[str, Any] | None = None, given: tuple[str, ...] = (),
          profiles: tuple = PROFILES, api: str = "") -> list[Plan]:
    """Candidate calls, most likely first: each tensor layout x each Python-value choice.
    `given`: optional parameters passed as tensors too (by keyword); `api`: its ARGS, if any."""
    hints = ARGS.get(api, {})
    optional = _optional_params(fn)
    extra = {name: hint[0] for name, hint in hints.items() if isinstance(hint, Py) and name in optional}
    extra.update(extra_kwargs or {})
    extra.update({name: CALLABLES[name] for name in optional if name in CALLABLES and name not in extra})
    given = tuple(dict.fromkeys([*given, *(n for n, h in hints.items() if isinstance(h, T) and n in optional)]))
    params = [p for p in required_params(fn) if p.name not in extra]
    values_of = {**PY_VALUES, **{name: hint for name, hint in hints.items() if isinstance(hint, Py)}}
    values_of = {name: values for name, values in values_of.items() if not isinstance(hints.get(name), T)}
    callables = {p.name: CALLABLES[p.name] for p in params if p.name in CALLABLES and p.name not in values_of}
    tensor_params = [p.name for p in params if p.name not in values_of and p.name not in callables] + list(given)
    py_params = [p.name for p in params if p.name in values_of]
    var_positional = has_var_positional(fn) and not tensor_params
    py_choices = list(itertools.islice(itertools.product(*(values_of[n] for n in py_params)), 4))
    listed = [n for n in tensor_params if n in LIST_NAMES and n not in hints]
    out = []
    for as_list in ([False, True] if listed else [False]):  # plain calls in every layout first
        for profile in profiles:
            for index, values in enumerate(py_choices):
                names = tensor_params or (["inputs", "inputs2"] if var_positional else [])
                if as_list:
                    names = [m for n in names for m in ((n, n + "_2") if n in LIST_NAMES else (n,))]
                specs = [_tensor_spec(n.removesuffix("_2"), profile, hints) for n in names]
                py = {**dict(zip(py_params, values)), **callables}
                layout = (", ".join(f"{s.name}: {s.dtype.name}{s.shape.as_list()}" for s in specs) if hints
                          else f"{profile[0].name}{list(profile[1])}{' as lists' if as_list else ''}")
                text = f"{layout} {_described(py_params, values) or ''}"
                fixed = {n: hints[n].sample for n in names if isinstance(hints.get(n), T) and hints[n].sample is not None}
                out.append(Plan(specs, _binder(params, tensor_params, py, var_positional, extra,
                                               listed if as_list else [], given, hints),
                                text.strip(), extra, (as_list, index), profile, fixed))
    out = _unique(out)[:MAX_PLANS]
    if tensor_params and not hints:  # last resorts: the first tensor parameter as a SparseTensor / RaggedTensor
        for kind in COMPOSITES:
            specs = [*COMPOSITES[kind][0], *(_tensor_spec(n, (tf.float32, (4, 4))) for n in tensor_params[1:])]
            py = {**dict(zip(py_params, py_choices[0])), **callables}
            out.append(Plan(specs, _composite_binder(kind, _binder(params, tensor_params, py, var_positional, extra, [], given)),
                            f"{tensor_params[0]} as {kind} float32, others float32[4, 4] {py or ''}".strip(), extra,
                            (kind,)))
    return out


def _described(names: list[str], values: tuple) -> dict[str, Any]:
    """Python values as a probe's description shows them (a function by its name, not its address)."""
    return {n: v.__name__ if inspect.isfunction(v) else v for n, v in zip(names, values)}


def _unique(found: list[Plan]) -> list[Plan]:
    """Plans whose inputs are all fixed by ARGS repeat across profiles of one dtype: keep one."""
    seen, out = set(), []
    for plan in found:
        key = (tuple((s.dtype, tuple(s.shape)) for s in plan.specs), plan.choice)
        if key not in seen:
            seen.add(key)
            out.append(plan)
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


def _binder(params, tensor_params, py, var_positional, extra, listed, given, hints=None):
    hints = hints or {}

    def bind(tensors):
        tensors = list(tensors)
        by_name = {}
        for name in tensor_params:
            by_name[name] = [tensors.pop(0), tensors.pop(0)] if name in listed else tensors.pop(0)
            if isinstance(hints.get(name), T) and hints[name].build:
                by_name[name] = hints[name].build(by_name[name])
        values = {name: value.make() if isinstance(value, Make) else value for name, value in py.items()}
        args = [by_name[p.name] if p.name in by_name else values[p.name] for p in params
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        kwargs = {p.name: by_name.get(p.name, values.get(p.name)) for p in params if p.kind == p.KEYWORD_ONLY}
        if var_positional:
            args.extend(tensors)  # what is left: the inputs for *args
        kwargs.update({name: by_name[name] for name in given})
        kwargs.update({name: value.make() if isinstance(value, Make) else value for name, value in extra.items()})
        return args, kwargs
    return bind


_F = tf.TensorSpec((4, 4), tf.float32, name="x")
_ROW = tf.TensorSpec((6,), tf.float32, name="values")
# CTC decoders: logits [max_time, batch, classes] and one sequence length per batch item.
_CTC = [tf.TensorSpec((4, 2, 3), tf.float32, name="inputs"), tf.TensorSpec((2,), tf.int32, name="sequence_length")]
# APIs whose arguments no table can describe (Python callbacks with `inp`/`Tout`, CTC layouts).
OVERRIDES = {
    **{name: Plan([_F], lambda t: ([lambda a: a * 2, [t[0]], tf.float32], {}), f"{name}(lambda a: a * 2, [x], tf.float32)")
       for name in ("tf.py_function", "tf.numpy_function")},
    **{name: Plan(_CTC, lambda t: ([t[0], t[1]], {}), "float32[4, 2, 3], int32[2]")
       for name in ("tf.nn.ctc_greedy_decoder", "tf.nn.ctc_beam_search_decoder", "tf.compat.v1.nn.ctc_beam_search_decoder")},
    "tf.hessians": Plan([_F], lambda t: ([tf.reduce_sum(t[0] ** 3), t[0]], {}), "tf.hessians(reduce_sum(x ** 3), x)"),
    "tf.ragged.map_flat_values": Plan([_ROW], lambda t: ([tf.math.abs, tf.RaggedTensor.from_row_splits(t[0], [0, 2, 6])], {}),
                                      "tf.ragged.map_flat_values(tf.math.abs, ragged float32[6] in 2 rows)"),
    "tf.sparse.map_values": Plan([_ROW], lambda t: ([tf.math.abs, _sparse((6, 6)).build(t[0][:3])], {}),
                                 "tf.sparse.map_values(tf.math.abs, sparse float32[6, 6] with 3 values)"),
}


def _named(text: str, fn: Callable) -> Callable:
    """A lambda the probe's description shows by its source."""
    fn.__name__ = text
    return fn


def _sparse(dense_shape: tuple, dtype: tf.DType | None = None) -> T:
    """A SparseTensor argument: three values (an input) on the diagonal of `dense_shape`."""
    indices = [[i] * len(dense_shape) for i in range(3)]
    return T((3,), dtype, lambda v: tf.sparse.SparseTensor(tf.constant(indices, tf.int64), v, dense_shape))


def _unstacked(shape: tuple, dtype: tf.DType | None = None, sample: Any = None) -> T:
    """A list argument: the input's first dimension unstacked (condlist, dynamic_stitch's indices)."""
    return T(shape, dtype, lambda t: tf.unstack(t), sample)


class _Cell:
    """The RNNCell protocol the v1 RNN helpers call (tf.compat.v1.nn.rnn_cell needs tf_keras, not
    installed with Keras 3): a tanh cell over 3 input features, 2 units."""

    state_size = output_size = 2

    def __repr__(self) -> str:
        return "tanh cell(2 units)"

    def zero_state(self, batch_size, dtype):
        return tf.zeros([batch_size, 2], dtype)

    def __call__(self, inputs, state, scope=None):
        out = tf.tanh(tf.matmul(inputs, tf.fill([3, 2], 0.5)) + state)
        return out, out


class _StateSaver:
    """The state saver static_state_saving_rnn reads its state from and writes it back to."""

    def __repr__(self) -> str:
        return "state saver"

    def state(self, name):
        return tf.zeros([2, 2])

    def save_state(self, name, value):
        return tf.identity(value)


def _raw_rnn_loop(inputs: tf.Tensor):
    """raw_rnn's loop_fn over time-major inputs [4, 2, 3], as in its documentation."""
    steps = tf.TensorArray(tf.float32, size=4).unstack(inputs)

    def loop_fn(time, cell_output, cell_state, loop_state):
        state = _Cell().zero_state(2, tf.float32) if cell_output is None else cell_state
        finished = time >= 4
        step = tf.cond(finished, lambda: tf.zeros([2, 3]), lambda: steps.read(time))
        return tf.fill([2], finished), step, state, cell_output, loop_state
    return loop_fn


def _relu_graph():
    """The GraphDef import_graph_def imports: relu of a float32[4, 4] input named x."""
    return tf.function(tf.nn.relu).get_concrete_function(tf.TensorSpec((4, 4), tf.float32, name="x")).graph.as_graph_def()


def _png() -> bytes:
    return tf.io.encode_png(tf.zeros([4, 4, 3], tf.uint8)).numpy()


def _jpeg() -> bytes:
    return tf.io.encode_jpeg(tf.zeros([4, 4, 3], tf.uint8)).numpy()


def _bmp() -> bytes:
    """A 2x2 24-bit BMP (TensorFlow encodes no BMP): 54-byte header, rows padded to 4 bytes."""
    pixels = (b"\x00" * 6 + b"\x00\x00") * 2
    header = b"BM" + (54 + len(pixels)).to_bytes(4, "little") + b"\x00" * 4 + (54).to_bytes(4, "little")
    info = b"".join(v.to_bytes(4, "little") for v in (40, 2, 2)) + (1).to_bytes(2, "little") + (24).to_bytes(2, "little")
    return header + info + b"\x00" * 4 + len(pixels).to_bytes(4, "little") + b"\x00" * 16 + pixels


# A 1x1 GIF and a 1x1 lossless WebP (TensorFlow encodes neither).
_GIF = bytes.fromhex("47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b")
_WEBP = bytes.fromhex("524946461a000000574542505650384c0d0000002f00000010071011118888fe0700")


def _encoded(encode: Callable[[], bytes]) -> T:
    """Encoded image bytes as a string input; calibration and folding feed a real image."""
    return T((), tf.string, sample=encode())


_COUNTER = itertools.count()
_DOUBLE = _named("lambda x: x * 2.0", lambda x: x * 2.0)
_I32, _I64 = tf.int32, tf.int64
_IMAGE, _VOLUME = T((2, 4, 4, 3)), T((2, 4, 4, 4, 3))
_KERNEL_2D, _KERNEL_3D = T((2, 2, 3, 2)), T((2, 2, 2, 3, 2))  # 3 channels in, 2 out
_STRIDES_2D, _STRIDES_3D = Py([1, 1, 1, 1]), Py([1, 1, 1, 1, 1])
_CONV_TRANSPOSE = {"input": T((2, 4, 4, 2)), "filters": _KERNEL_2D, "output_shape": Py([2, 4, 4, 3])}
_CTC_DENSE = {"labels": T((2, 2), _I32), "logits": T((4, 2, 5)), "label_length": T((2,), _I32),
              "logit_length": T((2,), _I32)}  # time-major logits [time, batch, classes]
_BATCH_NORM = {"mean": T((3,)), "variance": T((3,)), "beta": T((3,)), "gamma": T((3,)),
               "variance_epsilon": Py(1e-3), "scale_after_normalization": Py(True)}
_SAMPLED_LOSS = {"weights": T((4, 3)), "biases": T((4,)), "labels": T((2, 1), _I64), "inputs": T((2, 3))}
_EMBEDDING_SPARSE = {"params": T((5, 3)), "embedding_weights": T((5, 3)), "sp_ids": _sparse((3, 3), _I64),
                     "sparse_ids": _sparse((3, 3), _I64), "sp_weights": Py(None)}
_BOUNDING_BOX = {"image_size": T((3,), _I32, sample=[4, 4, 3]), "bounding_boxes": T((1, 1, 4), sample=[[[0, 0, 1, 1]]])}
_LOGITS = {"labels": T((4, 4)), "logits": T((4, 4))}
_SPARSE_LOGITS = {"labels": T((4,), _I32), "logits": T((4, 3))}
_LU = {"lower_upper": T((3, 3)), "perm": T((3,), _I32, sample=[0, 1, 2]), "rhs": T((3, 1))}
_SCAN = {"fn": Py(_named("lambda acc, x: acc + x", lambda acc, x: acc + x)), "elems": T((3, 4))}
_SSIM = {"max_val": Py(1.0), "filter_size": Py(11)}
_DILATION = {"strides": _STRIDES_2D, "rates": _STRIDES_2D, "dilations": _STRIDES_2D, "padding": Py("SAME"),
             "data_format": Py("NHWC")}
_V1_RNN = {"cell": Py(_Cell()), "cell_fw": Py(_Cell()), "cell_bw": Py(_Cell()), "dtype": Py(tf.float32)}
# Per API, the arguments the tables by name cannot describe: parameter -> T (a tensor input's
# layout) or Py (Python values). Layouts that make the arguments agree (filters matching the
# input's channels, depth_to_space's channels divisible by block_size squared ...).
ARGS: dict[str, dict[str, T | Py]] = {
    # keras.ops
    "keras.ops.adaptive_average_pool": {"output_size": Py(2, (2, 2))},
    "keras.ops.adaptive_max_pool": {"output_size": Py(2, (2, 2))},
    "keras.ops.associative_scan": {"f": Py(_named("lambda a, b: a + b", lambda a, b: a + b)), "elems": T((4, 4))},
    "keras.ops.bartlett": {"x": Py(4)},
    "keras.ops.conv_transpose": {"inputs": _IMAGE, "kernel": T((2, 2, 2, 3))},  # [h, w, out, in]
    "keras.ops.corrcoef": {"x": T((3, 4))},
    "keras.ops.ctc_decode": {"inputs": T((2, 4, 3)), "sequence_lengths": T((2,), _I32)},
    "keras.ops.ctc_loss": {"target": T((2, 2), _I32), "output": T((2, 4, 5)), "target_length": T((2,), _I32),
                           "output_length": T((2,), _I32)},
    "keras.ops.depth_to_space": {"x": T((2, 4, 4, 8))},
    "keras.ops.digitize": {"bins": Py([0.25, 0.5, 0.75])},
    "keras.ops.einsum": {"subscripts": Py("ij,jk->ik")},
    "keras.ops.fold": {"x": T((2, 12, 9)), "output_size": Py((4, 4)), "kernel_size": Py(2)},
    "keras.ops.fori_loop": {"lower": Py(0), "upper": Py(3), "init_val": T((4, 4)),
                            "body_fun": Py(_named("lambda i, x: x * 2.0", lambda i, x: x * 2.0))},
    "keras.ops.image.affine_transform": {"images": _IMAGE, "transform": T((2, 8))},
    "keras.ops.image.crop_images": {"top_cropping": Py(1), "left_cropping": Py(1), "target_height": Py(2),
                                    "target_width": Py(2)},
    "keras.ops.image.map_coordinates": {"inputs": T((4, 4)), "coordinates": T((2, 3, 3)), "order": Py(1)},
    "keras.ops.image.pad_images": {"top_padding": Py(1), "left_padding": Py(1), "target_height": Py(6),
                                   "target_width": Py(6)},
    "keras.ops.image.perspective_transform": {"images": _IMAGE, "start_points": T((2, 4, 2)),
                                              "end_points": T((2, 4, 2))},
    "keras.ops.image.scale_and_translate": {"images": _IMAGE, "output_shape": Py((2, 8, 8, 3)), "scale": T((2,)),
                                            "translation": T((2,)), "spatial_dims": Py((1, 2)),
                                            "method": Py("bilinear")},
    "keras.ops.image.ssim": {"image1": T((1, 16, 16, 3)), "image2": T((1, 16, 16, 3))},
    "keras.ops.isin": {"x1": T((4,)), "x2": T((3,))},
    "keras.ops.istft": {"x": T((2, 3, 5), build=lambda t: (t[0], t[1])), "sequence_length": Py(8), "sequence_stride": Py(4),
                        "fft_length": Py(8)},  # x: (real, imag) of 3 frames of an 8-point FFT
    "keras.ops.jvp": {"fun": Py(_named("lambda x: x * x", lambda x: x * x)), "primals": T((4,), build=lambda t: (t,)),
                      "tangents": T((4,), build=lambda t: (t,))},
    "keras.ops.kron": {"x1": T((2, 2)), "x2": T((2, 3))},
    "keras.ops.map": {"f": Py(_DOUBLE), "xs": T((4, 4))},
    "keras.ops.multi_hot": {"inputs": T((2, 3), _I32), "num_classes": Py(4)},
    "keras.ops.pad": {"pad_width": Py(((0, 0), (1, 1), (1, 1), (0, 0)), ((1, 1), (1, 1)))},
    "keras.ops.rearrange": {"tensor": _IMAGE, "pattern": Py("b h w c -> b (h w) c")},
    "keras.ops.scan": {"f": Py(_named("lambda carry, x: (carry + x, carry)", lambda carry, x: (carry + x, carry))),
                       "init": T((4,)), "xs": T((3, 4))},
    "keras.ops.scatter": {"indices": T((2, 2), _I32), "values": T((2,)), "shape": Py((4, 4))},
    "keras.ops.select": {"condlist": _unstacked((2, 4), tf.bool), "choicelist": _unstacked((2, 4)), "default": Py(0.0)},
    "keras.ops.separable_conv": {"inputs": _IMAGE, "depthwise_kernel": T((2, 2, 3, 1)),
                                 "pointwise_kernel": T((1, 1, 3, 2))},
    "keras.ops.slice": {"start_indices": Py([0, 0, 0, 0], [0, 0]), "shape": Py([1, 2, 2, 1], [2, 2])},
    "keras.ops.sparse_categorical_crossentropy": {"target": T((2,), _I32), "output": T((2, 4))},
    "keras.ops.stft": {"x": T((2, 16)), "sequence_length": Py(8), "sequence_stride": Py(4), "fft_length": Py(8)},
    "keras.ops.switch": {"index": T((), _I32), "branches": Py(Make(lambda: [lambda: tf.constant(1.0), lambda: tf.constant(0.0)],
                                                               "[lambda: 1.0, lambda: 0.0]"))},
    "keras.ops.unfold": {"x": T((2, 3, 4, 4)), "kernel_size": Py(2)},
    "keras.ops.vectorized_map": {"function": Py(_DOUBLE), "elements": T((4, 4))},
    # tf
    "tf.bitcast": {"type": Py(tf.int32)},
    "tf.broadcast_static_shape": {"shape_x": Py(tf.TensorShape([2, 1])), "shape_y": Py(tf.TensorShape([1, 3]))},
    "tf.case": {"pred_fn_pairs": T((), tf.bool, lambda p: [(p, lambda: tf.constant(1.0))]),
                "default": Py(_named("lambda: 0.0", lambda: tf.constant(0.0)))},
    "tf.constant": {"value": Py([1.0, 2.0])},
    "tf.control_dependencies": {"control_inputs": T((4,), build=lambda t: [t])},
    "tf.debugging.Assert": {"condition": T((), tf.bool), "data": T((4,), build=lambda t: [t])},
    "tf.debugging.assert_rank": {"x": T((4, 4)), "rank": Py(2)},
    "tf.dtypes.as_dtype": {"type_value": Py("float32")},
    "tf.dynamic_partition": {"data": T((4, 3)), "partitions": T((4,), _I32)},
    "tf.dynamic_stitch": {"indices": _unstacked((2, 2), _I32, [[0, 1], [2, 3]]), "data": _unstacked((2, 2, 3))},
    "tf.edit_distance": {"hypothesis": _sparse((3, 3)), "truth": _sparse((3, 3))},
    "tf.extract_volume_patches": {"input": _VOLUME, "ksizes": Py([1, 2, 2, 2, 1]), "strides": _STRIDES_3D,
                                  "padding": Py("SAME")},
    "tf.fill": {"dims": Py([2, 3]), "value": T(())},
    "tf.foldl": _SCAN, "tf.foldr": _SCAN, "tf.scan": _SCAN, "tf.map_fn": {"fn": Py(_DOUBLE), "elems": T((3, 4))},
    # registries: a new name or class per call, as each may be registered once
    "tf.no_gradient": {"op_type": Py(Make(lambda: f"TflintProbe{next(_COUNTER)}", "a new op type name"))},
    "tf.make_ndarray": {"tensor": Py(Make(lambda: tf.make_tensor_proto([1.0, 2.0]), "make_tensor_proto([1.0, 2.0])"))},
    "tf.make_tensor_proto": {"values": Py([1.0, 2.0])},
    "tf.register_tensor_conversion_function": {"base_type": Py(Make(lambda: type("Probed", (), {}), "a new class")),
                                               "conversion_func": Py(_named("lambda value: 0.0",
                                                                            lambda value, **_: tf.constant(0.0)))},
    "tf.graph_util.import_graph_def": {"graph_def": Py(Make(_relu_graph, "GraphDef of relu(x)")),
                                       "input_map": T((4, 4), build=lambda x: {"x:0": x}),
                                       "return_elements": Py(["Relu:0"])},
    "tf.ragged.constant": {"pylist": Py([[1.0, 2.0], [3.0]])},
    "tf.ragged.stack_dynamic_partitions": {"data": T((4, 3)), "partitions": T((4,), _I32)},
    "tf.ragged_fill_empty_rows": {"value_rowids": T((4,), _I64, sample=[0, 0, 1, 2]), "values": T((4,)),
                                  "nrows": T((), _I64, sample=3), "default_value": T(())},
    "tf.random.create_rng_state": {"seed": Py(1), "alg": Py("philox")},
    "tf.random.fold_in": {"seed": T((2,), _I64), "data": T((), _I64)},
    "tf.random_index_shuffle": {"index": T((), _I64), "seed": T((3,), _I64), "max_index": T((), _I64, sample=9)},
    "tf.required_space_to_batch_paddings": {"input_shape": T((2,), _I32, sample=[4, 4]), "block_shape": Py([2, 2])},
    "tf.reverse_sequence": {"input": T((2, 4)), "seq_lengths": T((2,), _I32), "seq_axis": Py(1), "batch_axis": Py(0)},
    "tf.scatter_nd": {"indices": T((2, 2), _I32), "updates": T((2,)), "shape": Py([4, 4])},
    "tf.space_to_batch": {"block_shape": Py([2, 2]), "paddings": Py([[0, 0], [0, 0]])},
    "tf.space_to_batch_nd": {"block_shape": Py([2, 2]), "paddings": Py([[0, 0], [0, 0]])},
    # tf.image, tf.io
    "tf.image.adjust_jpeg_quality": {"image": T((4, 4, 3)), "jpeg_quality": Py(50)},
    "tf.image.combined_non_max_suppression": {"boxes": T((1, 4, 1, 4)), "scores": T((1, 4, 2))},
    "tf.image.extract_glimpse": {"input": _IMAGE, "size": Py([2, 2]), "offsets": T((2, 2))},
    "tf.image.generate_bounding_box_proposals": {"scores": T((1, 4, 4, 1)), "bbox_deltas": T((1, 4, 4, 4)),
                                                 "image_info": T((1, 5)), "anchors": T((1, 1, 4))},
    "tf.image.grayscale_to_rgb": {"images": T((2, 4, 4, 1))},
    "tf.image.pad_to_bounding_box": {"image": _IMAGE, "target_height": Py(6), "target_width": Py(6)},
    "tf.image.random_jpeg_quality": {"image": T((4, 4, 3)), "min_jpeg_quality": Py(50), "max_jpeg_quality": Py(90)},
    "tf.image.sample_distorted_bounding_box": _BOUNDING_BOX,
    "tf.image.ssim": {"img1": T((1, 16, 16, 3)), "img2": T((1, 16, 16, 3)), **_SSIM},
    "tf.image.ssim_multiscale": {"img1": T((1, 32, 32, 3)), "img2": T((1, 32, 32, 3)), **_SSIM,
                                 "power_factors": Py((0.5, 0.5))},  # two scales: 11x11 windows fit 32x32
    "tf.image.stateless_random_jpeg_quality": {"image": T((4, 4, 3)), "min_jpeg_quality": Py(50),
                                               "max_jpeg_quality": Py(90), "seed": T((2,), _I32)},
    "tf.image.stateless_random_saturation": {"seed": T((2,), _I32)},
    "tf.image.stateless_sample_distorted_bounding_box": {**_BOUNDING_BOX, "seed": T((2,), _I32)},
    "tf.io.decode_and_crop_jpeg": {"contents": _encoded(_jpeg), "crop_window": T((4,), _I32, sample=[0, 0, 2, 2])},
    "tf.io.decode_bmp": {"contents": _encoded(_bmp)},
    "tf.io.decode_gif": {"contents": _encoded(lambda: _GIF)},
    "tf.io.decode_image": {"contents": _encoded(_png)},
    "tf.io.decode_jpeg": {"contents": _encoded(_jpeg)},
    "tf.io.decode_jxl": {"contents": T((), tf.string)},  # no JPEG XL encoder here: folding is not judged
    "tf.io.decode_png": {"contents": _encoded(_png)},
    "tf.io.decode_webp": {"contents": _encoded(lambda: _WEBP)},
    "tf.io.encode_jpeg": {"image": T((4, 4, 3), tf.uint8)},
    "tf.io.encode_png": {"image": T((4, 4, 3), tf.uint8)},
    "tf.io.extract_jpeg_shape": {"contents": _encoded(_jpeg)},
    # tf.linalg, tf.math, tf.signal, tf.random
    "tf.linalg.eigh_tridiagonal": {"alpha": T((4,)), "beta": T((3,))},
    "tf.linalg.lu_matrix_inverse": _LU, "tf.linalg.lu_reconstruct": _LU, "tf.linalg.lu_solve": _LU,
    "tf.linalg.tridiagonal_solve": {"diagonals": T((3, 4)), "rhs": T((4, 1))},
    "tf.math.sobol_sample": {"dim": T((), _I32, sample=2), "num_results": T((), _I32, sample=4)},
    "tf.signal.irfft3d": {"input_tensor": T((2, 4, 4, 3), tf.complex64)},
    # tf.nn
    "tf.nn.atrous_conv2d": {"value": _IMAGE, "rate": Py(2)},
    "tf.nn.atrous_conv2d_transpose": {"value": _IMAGE, "filters": T((2, 2, 2, 3)), "output_shape": Py([2, 4, 4, 2]),
                                      "rate": Py(2)},
    "tf.nn.batch_norm_with_global_normalization": {"input": _IMAGE, **_BATCH_NORM},
    "tf.nn.collapse_repeated": {"labels": T((2, 4), _I32), "seq_length": T((2,), _I32)},
    "tf.nn.conv1d": {"input": T((2, 4, 3)), "filters": T((2, 3, 2))},
    "tf.nn.conv1d_transpose": {"input": T((2, 4, 2)), "filters": T((2, 3, 2)), "output_shape": Py([2, 4, 3]),
                               "strides": Py(1)},
    "tf.nn.conv2d_transpose": _CONV_TRANSPOSE, "tf.nn.conv_transpose": _CONV_TRANSPOSE,
    "tf.nn.conv3d": {"input": _VOLUME, "filters": _KERNEL_3D, "strides": _STRIDES_3D},
    "tf.nn.conv3d_transpose": {"input": T((2, 4, 4, 4, 2)), "filters": _KERNEL_3D, "output_shape": Py([2, 4, 4, 4, 3]),
                               "strides": _STRIDES_3D},
    "tf.nn.ctc_loss": _CTC_DENSE,
    "tf.nn.depth_to_space": {"input": T((2, 4, 4, 8))},
    "tf.nn.depthwise_conv2d_backprop_filter": {"input": _IMAGE, "filter_sizes": Py([2, 2, 3, 1]),
                                               "out_backprop": _IMAGE, "strides": _STRIDES_2D},
    "tf.nn.dilation2d": {"input": _IMAGE, "filters": T((2, 2, 3)), **_DILATION},
    "tf.nn.embedding_lookup_sparse": _EMBEDDING_SPARSE,
    "tf.nn.erosion2d": {"value": _IMAGE, "filters": T((2, 2, 3)), **_DILATION},
    "tf.nn.log_poisson_loss": {"targets": T((4, 4)), "log_input": T((4, 4))},
    "tf.nn.nce_loss": _SAMPLED_LOSS,
    "tf.nn.safe_embedding_lookup_sparse": _EMBEDDING_SPARSE,
    "tf.nn.sampled_softmax_loss": _SAMPLED_LOSS,
    "tf.nn.sigmoid_cross_entropy_with_logits": _LOGITS,
    "tf.nn.sparse_softmax_cross_entropy_with_logits": _SPARSE_LOGITS,
    "tf.nn.with_space_to_batch": {"input": _IMAGE, "dilation_rate": Py([2, 2]), "padding": Py("SAME"),
                                  "filter_shape": Py([2, 2]),
                                  "op": Py(_named("avg_pool2d(x, 2, 1, padding)",
                                                lambda x, num_spatial_dims, padding: tf.nn.avg_pool2d(x, 2, 1, padding)))},
    # tf.sparse, tf.strings
    "tf.sparse.concat": {"axis": Py(0), "sp_inputs": T((3,), build=lambda v: [_sparse((4, 4)).build(v)] * 2)},
    "tf.sparse.fill_empty_rows": {"sp_input": _sparse((4, 4)), "default_value": T(())},
    "tf.sparse.mask": {"a": T((3, 4), build=lambda v: tf.IndexedSlices(v, tf.constant([0, 1, 2]))),
                       "mask_indices": T((1,), _I32)},
    "tf.sparse.maximum": {"sp_a": _sparse((4, 4)), "sp_b": _sparse((4, 4))},
    "tf.sparse.minimum": {"sp_a": _sparse((4, 4)), "sp_b": _sparse((4, 4))},
    "tf.sparse.reshape": {"sp_input": _sparse((4, 4)), "shape": Py([2, 8])},
    "tf.sparse.retain": {"sp_input": _sparse((4, 4)), "to_retain": T((3,), tf.bool)},
    "tf.sparse.sampled_addmm": {"indices": T((3, 2), _I32, sample=[[0, 0], [1, 1], [2, 2]]), "values": T((3,)),
                                "dense_shape": Py([4, 4]), "mat1": T((4, 4)), "mat2": T((4, 4))},
    "tf.sparse.split": {"sp_input": _sparse((4, 4)), "num_split": Py(2), "axis": Py(1)},
    "tf.sparse.to_indicator": {"sp_input": _sparse((4, 4), _I64), "vocab_size": Py(4)},
    "tf.strings.format": {"template": Py("x = {}"), "inputs": T((4,), build=lambda t: [t])},
    "tf.strings.ngrams": {"data": T((4,), tf.string), "ngram_width": Py(2)},
    "tf.strings.to_hash_bucket_strong": {"input": T((4,), tf.string), "num_buckets": Py(10), "key": Py([1, 2])},
    # tf.compat.v1: arguments that are optional in the v1 signature but needed
    "tf.compat.v1.image.crop_and_resize": {"image": _IMAGE, "boxes": T((4, 4)), "box_ind": T((4,), _I32),
                                           "crop_size": Py([2, 2])},
    "tf.compat.v1.image.draw_bounding_boxes": {"images": _IMAGE, "boxes": T((2, 1, 4))},
    "tf.compat.v1.image.extract_glimpse": {"input": _IMAGE, "size": Py([2, 2]), "offsets": T((2, 2))},
    "tf.compat.v1.image.extract_image_patches": {"images": _IMAGE, "ksizes": Py([1, 2, 2, 1]), "strides": _STRIDES_2D,
                                                 "rates": _STRIDES_2D, "padding": Py("SAME")},
    "tf.compat.v1.image.sample_distorted_bounding_box": _BOUNDING_BOX,
    **{f"tf.compat.v1.nn.quantized_{name}": {"input": T((2, 4, 4, 3), tf.quint8), "min_input": T((), tf.float32),
                                            "max_input": T((), tf.float32), "ksize": Py([1, 2, 2, 1]),
                                            "strides": _STRIDES_2D, "padding": Py("SAME")}
       for name in ("avg_pool", "max_pool")},
    "tf.compat.v1.nn.quantized_conv2d": {"input": T((2, 4, 4, 3), tf.quint8), "filter": T((2, 2, 3, 2), tf.quint8),
                                         **{n: T((), tf.float32) for n in ("min_input", "max_input", "min_filter",
                                                                          "max_filter")},
                                         "strides": _STRIDES_2D, "padding": Py("SAME")},
    "tf.compat.v1.nn.quantized_relu_x": {"features": T((2, 4, 4, 3), tf.quint8), "max_value": T((), tf.float32),
                                         "min_features": T((), tf.float32), "max_features": T((), tf.float32)},
    "tf.compat.v1.ragged.placeholder": {"dtype": Py(tf.float32), "ragged_rank": Py(1)},
    "tf.compat.v1.math.count_nonzero": {"input_tensor": T((4, 4))},
    "tf.compat.v1.nn.batch_norm_with_global_normalization": {"t": _IMAGE, "m": T((3,)), "v": T((3,)), **_BATCH_NORM,
                                                             "mean": Py(None), "variance": Py(None)},
    "tf.compat.v1.nn.bidirectional_dynamic_rnn": {**_V1_RNN, "inputs": T((2, 4, 3))},
    "tf.compat.v1.nn.conv1d": {"value": T((2, 4, 3)), "filters": T((2, 3, 2)), "stride": Py(1), "padding": Py("SAME")},
    "tf.compat.v1.nn.conv2d": {"input": _IMAGE, "filter": _KERNEL_2D, "strides": _STRIDES_2D, "padding": Py("SAME")},
    "tf.compat.v1.nn.conv2d_backprop_filter": {"input": _IMAGE, "filter_sizes": Py([2, 2, 3, 2]),
                                               "out_backprop": T((2, 4, 4, 2)), "strides": _STRIDES_2D,
                                               "padding": Py("SAME")},
    "tf.compat.v1.nn.conv2d_backprop_input": {"input_sizes": Py([2, 4, 4, 3]), "filter": _KERNEL_2D,
                                              "out_backprop": T((2, 4, 4, 2)), "strides": _STRIDES_2D,
                                              "padding": Py("SAME")},
    "tf.compat.v1.nn.conv2d_transpose": {"value": T((2, 4, 4, 2)), "filter": _KERNEL_2D, "output_shape": Py([2, 4, 4, 3]),
                                         "strides": _STRIDES_2D},
    "tf.compat.v1.nn.conv3d": {"input": _VOLUME, "filter": _KERNEL_3D, "strides": _STRIDES_3D, "padding": Py("SAME")},
    "tf.compat.v1.nn.conv3d_backprop_filter": {"input": _VOLUME, "filter_sizes": Py([2, 2, 2, 3, 2]),
                                               "out_backprop": T((2, 4, 4, 4, 2)), "strides": _STRIDES_3D,
                                               "padding": Py("SAME")},
    "tf.compat.v1.nn.conv3d_transpose": {"value": T((2, 4, 4, 4, 2)), "filter": _KERNEL_3D,
                                         "output_shape": Py([2, 4, 4, 4, 3]), "strides": _STRIDES_3D},
    "tf.compat.v1.nn.ctc_loss": {"labels": _sparse((2, 3), _I32), "inputs": T((4, 2, 5)),
                                 "sequence_length": T((2,), _I32)},
    "tf.compat.v1.nn.ctc_loss_v2": _CTC_DENSE,
    "tf.compat.v1.nn.depth_to_space": {"input": T((2, 4, 4, 8))},
    "tf.compat.v1.nn.dilation2d": {"input": _IMAGE, "filter": T((2, 2, 3)), "strides": _STRIDES_2D,
                                   "rates": _STRIDES_2D, "padding": Py("SAME")},  # rates or dilations, not both
    "tf.compat.v1.nn.dropout": {"rate": Py(0.5)},
    "tf.compat.v1.nn.dynamic_rnn": {**_V1_RNN, "inputs": T((2, 4, 3))},
    "tf.compat.v1.nn.embedding_lookup_sparse": _EMBEDDING_SPARSE,
    "tf.compat.v1.nn.erosion2d": {"value": _IMAGE, "kernel": T((2, 2, 3)), **_DILATION},
    "tf.compat.v1.nn.fused_batch_norm": {"x": _IMAGE, "scale": T((3,)), "offset": T((3,))},
    "tf.compat.v1.nn.max_pool_with_argmax": {"input": _IMAGE, "ksize": Py([1, 2, 2, 1]), "strides": _STRIDES_2D,
                                             "padding": Py("SAME")},
    "tf.compat.v1.nn.nce_loss": _SAMPLED_LOSS,
    "tf.compat.v1.nn.raw_rnn": {"cell": Py(_Cell()), "loop_fn": T((4, 2, 3), build=_raw_rnn_loop)},
    "tf.compat.v1.nn.relu_layer": {"x": T((2, 3)), "weights": T((3, 2)), "biases": T((2,))},
    "tf.compat.v1.nn.safe_embedding_lookup_sparse": _EMBEDDING_SPARSE,
    "tf.compat.v1.nn.sampled_softmax_loss": _SAMPLED_LOSS,
    "tf.compat.v1.nn.sigmoid_cross_entropy_with_logits": _LOGITS,
    "tf.compat.v1.nn.softmax_cross_entropy_with_logits": _LOGITS,
    "tf.compat.v1.nn.space_to_batch": {"input": _IMAGE, "block_size": Py(2), "paddings": Py([[0, 0], [0, 0]])},
    "tf.compat.v1.nn.sparse_softmax_cross_entropy_with_logits": _SPARSE_LOGITS,
    "tf.compat.v1.nn.static_bidirectional_rnn": {**_V1_RNN, "inputs": _unstacked((4, 2, 3))},
    "tf.compat.v1.nn.static_rnn": {**_V1_RNN, "inputs": _unstacked((4, 2, 3))},
    "tf.compat.v1.nn.static_state_saving_rnn": {**_V1_RNN, "inputs": _unstacked((4, 2, 3)),
                                                "state_saver": Py(_StateSaver()), "state_name": Py("h")},
    "tf.compat.v1.nn.weighted_cross_entropy_with_logits": {**_LOGITS, "pos_weight": Py(2.0)},
    "tf.compat.v1.nn.xw_plus_b": {"x": T((2, 3)), "weights": T((3, 2)), "biases": T((2,))},
    "tf.compat.v1.sparse.concat": {"axis": Py(0), "sp_inputs": T((3,), build=lambda v: [_sparse((4, 4)).build(v)] * 2)},
    "tf.compat.v1.sparse.merge": {"sp_ids": _sparse((4, 4), _I64), "sp_values": _sparse((4, 4)), "vocab_size": Py(4)},
    "tf.compat.v1.sparse.split": {"sp_input": _sparse((4, 4)), "num_split": Py(2), "axis": Py(1)},
    "tf.compat.v1.strings.split": {"input": T((4,), tf.string), "sep": Py(" ")},
    "tf.compat.v1.strings.to_hash_bucket": {"string_tensor": T((4,), tf.string), "num_buckets": Py(10)},
    "tf.compat.v1.strings.to_number": {"string_tensor": T((4,), tf.string, sample=[b"1.5"] * 4)},
}

"""Python syntax on tensors: indexing forms and operators, each traced per input dtype and
shape kind (new-axis indexing on a None dimension fails under builtins, on static shapes it
converts; int64 `abs(x)` fails where float32 converts)."""

from __future__ import annotations

import operator
from typing import Callable

import tensorflow as tf

from .catalog import Api

# Shape kinds of the data input `x`: static, a None batch (a Keras Input), None batch and sequence;
# indexing also on rank 2 (`mask[:, None, :]` on [None, None] fails, on [None, 4] converts).
SHAPES = {"static": (2, 3, 4), "batch": (None, 3, 4), "batch_seq": (None, None, 4),
          "static_2d": (2, 4), "batch_2d": (None, 4), "batch_seq_2d": (None, None)}
OPERATOR_SHAPES = ("static", "batch", "batch_seq")
DTYPES = ("float32", "int32", "int64", "bool")
LOGICAL = ("bool", "int32", "int64")  # `&`, `|`, `~` are meant for bool: probed on it first
# The second input of a form: None, one like x, a [4, 4] matrix (a weight), a scalar index, a mask.
SECOND = {"like_x": lambda x: x, "matrix": lambda x: tf.TensorSpec((4, 4), x.dtype),
          "index": lambda x: tf.TensorSpec((), tf.int32), "mask": lambda x: tf.TensorSpec(x.shape, tf.bool)}
# name -> (source form, second input, function, dtypes in probing order: the first that traces on the
# first shape kind is the base, shape kinds)
FORMS: dict[str, tuple[str, str | None, Callable, tuple[str, ...], tuple[str, ...]]] = {
    "getitem.index": ("x[0]", None, lambda x: x[0], DTYPES, tuple(SHAPES)),
    "getitem.index_inner": ("x[:, 0]", None, lambda x: x[:, 0], DTYPES, tuple(SHAPES)),
    "getitem.slice": ("x[1:3]", None, lambda x: x[1:3], DTYPES, tuple(SHAPES)),
    "getitem.reverse": ("x[::-1]", None, lambda x: x[::-1], DTYPES, tuple(SHAPES)),
    "getitem.step": ("x[::2]", None, lambda x: x[::2], DTYPES, tuple(SHAPES)),
    "getitem.newaxis_inner": ("x[:, None]", None, lambda x: x[:, None], DTYPES, tuple(SHAPES)),
    "getitem.newaxis": ("x[None]", None, lambda x: x[None], DTYPES, tuple(SHAPES)),
    "getitem.ellipsis_index": ("x[..., 0]", None, lambda x: x[..., 0], DTYPES, tuple(SHAPES)),
    "getitem.ellipsis_newaxis": ("x[..., None]", None, lambda x: x[..., None], DTYPES, tuple(SHAPES)),
    "getitem.newaxis_middle": ("x[:, tf.newaxis, :]", None, lambda x: x[:, tf.newaxis, :], DTYPES, tuple(SHAPES)),
    "getitem.tensor_index": ("x[i]", "index", lambda x, i: x[i], DTYPES, tuple(SHAPES)),
    "getitem.bool_mask": ("x[mask]", "mask", lambda x, m: x[m], DTYPES, tuple(SHAPES)),
    "op.add": ("x + y", "like_x", operator.add, DTYPES, OPERATOR_SHAPES),
    "op.sub": ("x - y", "like_x", operator.sub, DTYPES, OPERATOR_SHAPES),
    "op.mul": ("x * y", "like_x", operator.mul, DTYPES, OPERATOR_SHAPES),
    "op.truediv": ("x / y", "like_x", operator.truediv, DTYPES, OPERATOR_SHAPES),
    "op.floordiv": ("x // y", "like_x", operator.floordiv, DTYPES, OPERATOR_SHAPES),
    "op.mod": ("x % y", "like_x", operator.mod, DTYPES, OPERATOR_SHAPES),
    "op.pow": ("x ** y", "like_x", operator.pow, DTYPES, OPERATOR_SHAPES),
    "op.matmul": ("x @ w", "matrix", operator.matmul, DTYPES, OPERATOR_SHAPES),
    "op.neg": ("-x", None, operator.neg, DTYPES, OPERATOR_SHAPES),
    "op.abs": ("abs(x)", None, abs, DTYPES, OPERATOR_SHAPES),
    "op.lt": ("x < y", "like_x", operator.lt, DTYPES, OPERATOR_SHAPES),
    "op.eq": ("x == y", "like_x", operator.eq, DTYPES, OPERATOR_SHAPES),
    "op.ne": ("x != y", "like_x", operator.ne, DTYPES, OPERATOR_SHAPES),
    "op.and": ("x & y", "like_x", operator.and_, LOGICAL, OPERATOR_SHAPES),
    "op.or": ("x | y", "like_x", operator.or_, LOGICAL, OPERATOR_SHAPES),
    "op.invert": ("~x", None, operator.invert, LOGICAL, OPERATOR_SHAPES),
}


def apis() -> list[Api]:
    return [Api(f"syntax.{name}", "syntax", "syntax") for name in FORMS]


def specs(name: str, dtype: str, shape: str) -> list[tf.TensorSpec]:
    x = tf.TensorSpec(SHAPES[shape], tf.as_dtype(dtype), name="x")
    second = FORMS[name][1]
    return [x] if second is None else [x, SECOND[second](x)]


def trace(name: str, dtype: str, shape: str):
    """The concrete function of the form on inputs of `dtype` and shape kind `shape` (raises if invalid)."""
    fn = FORMS[name][2]
    return tf.function(lambda *t: fn(*t), autograph=False).get_concrete_function(*specs(name, dtype, shape))

"""The dtype analysis (tflint/analysis/dtypes.py): where the code fixes a tensor's dtype, and the
dtypes some paths give where it does not."""

import textwrap

import libcst as cst
import pytest

from tflint import knowledge
from tflint.analysis.dtypes import dtype_of, dtypes_of
from tflint.context import Context
from tflint.walk import walk


def _argument_of(source: str, callee: str) -> tuple[Context, cst.BaseExpression]:
    """The context of `source` and the first argument of its one call spelled `callee(...)`."""
    module = cst.parse_module(textwrap.dedent(source))
    ctx = Context("x.py", module, "builtins", knowledge.load(), walk(module, ()))
    [call] = [c for c in ctx.walked.of_type(cst.Call) if module.code_for_node(c.func) == callee]
    return ctx, call.args[0].value


def _dtype(source: str, callee: str = "ops.abs") -> str | None:
    ctx, tensor = _argument_of(source, callee)
    return dtype_of(ctx, tensor)


@pytest.mark.parametrize("source, dtype", [
    ('from keras import ops\nids = ops.cast(x, "int")\nops.abs(ids)', "int64"),  # Keras's "int"
    ('import tensorflow as tf\nids = tf.cast(x, "int")\ntf.abs(ids)', None),  # TensorFlow rejects it
    ('from keras import ops\nids = ops.cast(x, "int64")\nmid = ops.cast(4, dtype=ids.dtype)\nops.abs(mid)', "int64"),
    ('from keras import ops\nids = ops.arange(n)\nids = ops.cast(ids, "int")\nops.abs(ids)', "int64"),  # the last
    ('from keras import ops\nids = ops.cast(x, "int64")\nops.abs(ops.expand_dims(ids, 0))', "int64"),
    ('import tensorflow as tf\ntf.abs(tf.where(c, x, tf.zeros_like(x)))', None),  # not where(c)'s int64
    ('import tensorflow as tf\ntf.abs(tf.argmax(x, output_type=tf.int32))', "int32"),
])
def test_what_the_code_fixes(source, dtype):
    callee = "tf.abs" if "tf.abs" in source else "ops.abs"
    assert _dtype(source, callee) == dtype


def test_a_method_takes_what_its_class_passes_and_returns_to_its_callers():
    source = """
        from keras import layers, ops
        class Buckets(layers.Layer):
            def _positions(self, n):
                return ops.cast(ops.arange(n), "int")
            def _bucket(self, rel):
                return ops.sign(rel)
            def call(self, x):
                ids = self._positions(ops.shape(x)[1])
                ops.abs(ids)
                return self._bucket(ids[:, None] - ids[None, :])
    """
    assert _dtype(source, "ops.abs") == "int64"  # the method's return
    assert _dtype(source, "ops.sign") == "int64"  # the parameter self._bucket(...) passes


def test_paths_that_disagree_give_every_dtype_they_know():
    ctx, tensor = _argument_of("""
        import tensorflow as tf
        def distance(a):
            return tf.abs(a)
        def heads(logits, ids):
            return distance(tf.cast(ids, tf.int64)) + distance(logits)
    """, "tf.abs")
    assert dtype_of(ctx, tensor) is None and dtypes_of(ctx, tensor) == {"int64", None}

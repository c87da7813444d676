"""Verdicts that turn on an input dtype (tflint/analysis/dtype_verdicts.py), checked with the real
converter: the dtype the analysis infers is the one that fails, and the other one converts."""

import pytest

from tests.support.converter import convert_function

pytestmark = pytest.mark.tensorflow


@pytest.fixture(scope="module")
def tf():
    import tensorflow

    return tensorflow


def test_keras_int_dtype_string_is_int64_and_its_sign_and_abs_fail_with_builtins(tf):
    from keras import ops

    spec = [tf.TensorSpec([None, None], tf.float32)]  # a dynamic sequence: nothing folds
    assert ops.cast(tf.zeros([2]), "int").dtype == tf.int64
    assert ops.arange(3, dtype="int").dtype == tf.int64

    def relative(x):  # deberta_v3's bucket: positions cast with "int", Sign and Abs of their offsets
        ids = ops.cast(ops.arange(ops.shape(x)[1]), dtype="int")
        rel = ops.expand_dims(ids, -1) - ops.expand_dims(ids, 0)
        return ops.cast(ops.sign(rel) * ops.abs(rel), "float32")

    def relative_int32(x):
        ids = ops.cast(ops.arange(ops.shape(x)[1]), dtype="int32")
        rel = ops.expand_dims(ids, -1) - ops.expand_dims(ids, 0)
        return ops.cast(ops.sign(rel) * ops.abs(rel), "float32")

    failed = convert_function(relative, spec)
    assert not failed.converts and {"Sign", "Abs"} <= failed.failing_ops
    assert convert_function(relative, spec, "select").converts
    assert convert_function(relative_int32, spec).converts


def test_keras_argmax_fails_on_float32_and_converts_on_int32(tf):
    from keras import ops

    assert "BitwiseAnd" in convert_function(lambda x: ops.argmax(x, axis=-1), [tf.TensorSpec([None, 8])]).failing_ops
    assert convert_function(lambda x: ops.argmax(x, axis=-1), [tf.TensorSpec([None, 8], tf.int32)]).converts

"""Matrix and vector norms (tflint/analysis/norms.py), checked with the real converter: ord=2 over two
axes takes singular values and fails under every target; over one axis it converts."""

import pytest

from tests.support.converter import convert_function

pytestmark = pytest.mark.tensorflow


@pytest.fixture(scope="module")
def tf():
    import tensorflow

    return tensorflow


@pytest.fixture(scope="module")
def spec(tf):
    return [tf.TensorSpec([None, 5, 5], tf.float32)]


def test_tf_norm_ord2_over_two_axes_fails_under_builtins_and_select(tf, spec):
    def spectral(m):
        return tf.norm(m, ord=2, axis=[-2, -1])

    assert "TensorListReserve" in convert_function(spectral, spec).failing_ops
    assert convert_function(spectral, spec, "select").failing_ops == {"Svd"}
    assert convert_function(lambda m: tf.norm(m, ord=2, axis=-1), spec).converts  # a vector norm
    assert convert_function(lambda m: tf.norm(m, ord=1, axis=[-2, -1]), spec).converts  # no singular values


def test_keras_norm_ord2_fails_over_two_axes_and_converts_over_one(tf, spec):
    import keras

    assert convert_function(lambda m: keras.ops.norm(m, ord=2, axis=(-2, -1)), spec, "select").failing_ops == {"Svd"}
    assert convert_function(lambda m: keras.ops.norm(m, ord=2, axis=-1), spec).converts

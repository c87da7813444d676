"""Folding per conversion route (tools/probe_routes.py, rules/data/routes-tf2.21.toml): a Keras layer's
weight folds through from_keras_model and stays as a concrete function; some ops never fold; the
converter's size policy stops folding big results. tflint follows the Keras route."""

import numpy as np
import pytest

from tests.support.expectations import lint

pytestmark = pytest.mark.tensorflow


@pytest.fixture(scope="module")
def tf():
    import tensorflow

    return tensorflow


def _model(fn, value: np.ndarray):
    """A functional model whose layer applies `fn` to its weight, initialised to `value`."""
    import keras
    import tensorflow as tf

    class OnWeight(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=value.shape, initializer="zeros", trainable=False)
            self.w.assign(value)

        def call(self, x):
            return x + tf.reduce_sum(tf.cast(fn(tf.convert_to_tensor(self.w)), tf.float32))

    inputs = keras.Input((1,))
    return keras.Model(inputs, OnWeight()(inputs))


def _failing(converter) -> set[str] | None:
    """The ops a builtins conversion names, or None when it converts."""
    import tensorflow as tf
    from tensorflow.lite.python.convert_phase import ConverterError

    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    try:
        converter.convert()
    except ConverterError as e:
        return {err.operator.name.removeprefix("tf.") for err in e.errors if err.operator.name}
    return None


def _keras_route(model):
    import tensorflow as tf

    return _failing(tf.lite.TFLiteConverter.from_keras_model(model))


def _concrete_route(model):
    import tensorflow as tf

    concrete = tf.function(lambda x: model(x)).get_concrete_function(tf.TensorSpec([None, 1], tf.float32))
    return _failing(tf.lite.TFLiteConverter.from_concrete_functions([concrete], model))


LAYER = """
import tensorflow as tf
class OnWeight(tf.keras.layers.Layer):
    def call(self, x):
        return x + tf.reduce_sum({call})
"""


def test_a_layer_weight_folds_through_from_keras_model_and_stays_as_a_concrete_function(tf):
    model = _model(tf.linalg.inv, np.eye(3, dtype=np.float32) * 2)
    assert _keras_route(model) is None
    assert _concrete_route(model) == {"MatrixInverse"}
    assert not lint(LAYER.format(call="tf.linalg.inv(self.kernel)"), "builtins").diagnostics  # the Keras route


def test_an_op_the_converter_never_folds_stays_on_a_layer_weight(tf):
    image = np.random.uniform(0.1, 0.9, (1, 4, 4, 3)).astype(np.float32)
    model = _model(lambda w: tf.image.stateless_random_flip_left_right(w, seed=(1, 2)), image)
    assert _keras_route(model) == {"StatelessRandomUniformV2", "StatelessRandomGetKeyCounter"}
    found = lint(LAYER.format(call="tf.image.stateless_random_flip_left_right(self.kernel, seed=(1, 2))"),
                 "builtins").diagnostics
    assert [d.code for d in found] == ["TFL102"]


@pytest.mark.parametrize("size,folds", [(45, True), (46, False)])
def test_folding_stops_at_the_size_policy(tf, size, folds):
    """tensor_diag of n values has n^2 results: folded up to 2^16 bits (45^2 float32), not above."""
    model = _model(tf.linalg.tensor_diag, np.random.uniform(0.1, 0.9, (size,)).astype(np.float32))
    assert _keras_route(model) == (None if folds else {"Diag"})


def test_a_print_of_literals_stays_in_a_layer(tf):
    """All its arguments are constants, but PrintV2 has side effects: the converter keeps it."""
    import keras

    class Logs(keras.layers.Layer):
        def call(self, x):
            tf.print("iteration", 3)
            return x * 2.0

    inputs = keras.Input((4,))
    assert _keras_route(keras.Model(inputs, Logs()(inputs))) == {"PrintV2"}
    source = ("import tensorflow as tf\nclass Logs(tf.keras.layers.Layer):\n    def call(self, x):\n"
              "        tf.print('iteration', 3)\n        return x * 2.0\n")
    assert [(d.code, d.span.line) for d in lint(source, "builtins").diagnostics] == [("TFL102", 4)]

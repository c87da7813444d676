"""Time-shift augmentation inside the model via keras.ops.roll, dynamic sequence length."""
import keras
from keras import ops


class ShiftByOne(keras.layers.Layer):
    def call(self, x):
        return ops.concatenate([x, ops.roll(x, shift=1, axis=1)], axis=-1)


def build_model():
    x = keras.Input((None, 4))
    h = ShiftByOne()(x)
    return keras.Model(x, keras.layers.Dense(2)(h))


def weighted_sq_error(y_true, y_pred, weights):
    import tensorflow as tf
    err = tf.cast(y_true, tf.float64) - tf.cast(y_pred, tf.float64)
    return tf.reduce_sum(tf.cast(weights, tf.float64) * err * err)

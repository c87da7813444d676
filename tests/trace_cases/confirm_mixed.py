"""One static error the model really hits (confirmed) and one in code the model never uses (refuted)."""
import keras
import tensorflow as tf


def unused_pooling(x):
    return tf.nn.fractional_max_pool(x, [1.0, 1.44, 1.44, 1.0])[0]  # TFL101: never traced


class Inverse(keras.layers.Layer):
    def call(self, x):
        return tf.linalg.inv(x)  # TFL102: the model converts this


def build_model():
    inputs = keras.Input((3, 3))
    return keras.Model(inputs, Inverse()(inputs))

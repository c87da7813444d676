"""One static error the model really hits (confirmed) and one behind a switched-off flag (refuted)."""
import keras
import tensorflow as tf

USE_FRACTIONAL_POOL = False  # an experiment, switched off: the converter never sees that branch


class Pool(keras.layers.Layer):
    def call(self, x):
        if USE_FRACTIONAL_POOL:
            return tf.nn.fractional_max_pool(x, [1.0, 1.44, 1.44, 1.0])[0]  # TFL101: never traced
        return tf.nn.max_pool2d(x, 2, 2, "VALID")


class Inverse(keras.layers.Layer):
    def call(self, x):
        return tf.linalg.inv(x)  # TFL102: the model converts this


def build_model():
    inputs = keras.Input((4, 4))
    inverted = keras.layers.Reshape((4, 4, 1))(Inverse()(inputs))
    return keras.Model(inputs, Pool()(inverted))
